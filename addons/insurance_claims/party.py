# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    insurance_party_kind = fields.Selection([
            ('natural', "Natural Person"),
            ('legal', "Legal Entity"),
            ('state', "State Entity"),
            ], "Insured Kind", sort=False,
        help="Decides which documents a claim of this insured requires.")

    @classmethod
    def default_insurance_party_kind(cls):
        return 'natural'
