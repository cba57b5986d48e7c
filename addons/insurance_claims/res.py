# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond import backend
from trytond.model import ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .common import RelationIndexMixin


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    insurance_regions = fields.Many2Many(
        'res.user-insurance.region', 'user', 'region', "Insurance Regions",
        help="The regions whose claims the user handles; a region includes "
        "its subregions.")

    @classmethod
    def get_insurance_regions(cls):
        "Return the ids of the user's regions and of their subregions"
        pool = Pool()
        UserRegion = pool.get('res.user-insurance.region')
        Region = pool.get('insurance.region')
        table = UserRegion.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.select(
                table.region, where=table.user == transaction.user))
        region_ids = [r for r, in cursor]
        if not region_ids:
            return ()
        with without_check_access(), transaction.set_context(
                active_test=False):
            regions = Region.search([('parent', 'child_of', region_ids)])
        return tuple(sorted(r.id for r in regions))

    @classmethod
    def users_of_employees(cls, employee_ids):
        "Return the users linked to the employees"
        users = []
        in_max = backend.MAX_QUERY_PARAMS
        for sub_ids in grouped_slice(employee_ids, in_max):
            users.extend(cls.search([
                        ('employees', 'in', list(sub_ids)),
                        ]))
        return users


class UserRegion(RelationIndexMixin, ModelSQL):
    __name__ = 'res.user-insurance.region'
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')
    region = fields.Many2One(
        'insurance.region', "Region", required=True, ondelete='CASCADE')
