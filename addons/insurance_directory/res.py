# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.model.modelstorage import is_leaf
from trytond.pool import Pool, PoolMeta
from trytond.transaction import check_access


def domain_fields(domain):
    "Return the names of the fields of the leaves of domain"
    names = set()
    if is_leaf(domain):
        names.add(domain[0].split('.', 1)[0])
    elif isinstance(domain, (list, tuple)):
        for clause in domain:
            if not isinstance(clause, str):
                names |= domain_fields(clause)
    return names


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    # read only by the login, in SQL (res.xml denies their read access)
    _secret_fields = {'password_hash', 'password_reset'}

    @classmethod
    def __setup__(cls):
        super().__setup__()
        for name in cls._secret_fields:
            # clients that read every eager field (proteus) leave them out
            getattr(cls, name).loading = 'lazy'

    @classmethod
    def search_domain(cls, domain, active_test=None, tables=None):
        pool = Pool()
        FieldAccess = pool.get('ir.model.field.access')
        names = domain_fields(domain) & cls._secret_fields
        if names:
            # The framework checks the field access of the fields of a
            # search's domain but converts "where" sub-domains (on any
            # relation to users, such as create_uid) without access checks:
            # check it here, where every domain on users is converted.
            with check_access():
                FieldAccess.check(cls.__name__, names, 'read')
        return super().search_domain(
            domain, active_test=active_test, tables=tables)
