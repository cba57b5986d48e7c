# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    distributor_plans = fields.One2Many(
        'distributor.plan', 'customer', "Financing Plans", readonly=True,
        help="The financing plans of the party as customer.")
