# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    distributor = fields.Many2One(
        'party.party', "Dealer",
        context={
            'company': Eval('company', -1),
            },
        depends=['company'],
        help="The dealer the user works for: "
        "the user sees only the plans, requests and endorsements of it.")

    @classmethod
    def get_distributor(cls):
        "Return the id of the dealer of the current user or None"
        user_id = Transaction().user
        if not user_id:
            return None
        user = cls(user_id)
        return user.distributor.id if user.distributor else None
