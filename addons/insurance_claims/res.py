# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond import backend
from trytond.cache import Cache
from trytond.model import ModelSQL, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
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
    # the record rules of the claims ask for it on every read and search
    _get_insurance_regions_cache = Cache(
        'res_user.get_insurance_regions', context=False)

    @classmethod
    def get_insurance_regions(cls):
        "Return the ids of the user's regions and of their subregions"
        pool = Pool()
        UserRegion = pool.get('res.user-insurance.region')
        Region = pool.get('insurance.region')
        transaction = Transaction()
        user = transaction.user
        regions = cls._get_insurance_regions_cache.get(user)
        if regions is not None:
            return regions
        table = UserRegion.__table__()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.select(
                table.region, where=table.user == user))
        region_ids = [r for r, in cursor]
        regions = ()
        if region_ids:
            with without_check_access(), transaction.set_context(
                    active_test=False):
                regions = tuple(sorted(r.id for r in Region.search(
                            [('parent', 'child_of', region_ids)])))
        return cls._get_insurance_regions_cache.set(user, regions)

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


class UserRegion(ServerReadonlyMixin, RelationIndexMixin, ModelSQL):
    __name__ = 'res.user-insurance.region'
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')
    region = fields.Many2One(
        'insurance.region', "Region", required=True, ondelete='CASCADE')

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        User._get_insurance_regions_cache.clear()


class Region(metaclass=PoolMeta):
    __name__ = 'insurance.region'

    @classmethod
    def on_modification(cls, mode, regions, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, regions, field_names=field_names)
        if mode != 'write' or 'parent' in field_names:
            User._get_insurance_regions_cache.clear()
