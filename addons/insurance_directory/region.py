# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, tree)

from .exceptions import RegionValidationError
from .model import ServerReadonlyMixin


class Region(
        ServerReadonlyMixin, DeactivableMixin, tree(), ModelSQL, ModelView):
    __name__ = 'insurance.region'
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True)
    kind = fields.Selection([
            ('national', "National"),
            ('regional', "Regional"),
            ('territory', "Territory"),
            ('city', "City Office"),
            ], "Kind", required=True, sort=False)
    parent = fields.Many2One(
        'insurance.region', "Parent", ondelete='RESTRICT')
    children = fields.One2Many('insurance.region', 'parent', "Children")
    head = fields.Many2One(
        'company.employee', "Regional Claims Head", ondelete='SET NULL',
        help="The head of customer assistance who answers for the claims "
        "of the region.")
    manager = fields.Many2One(
        'company.employee', "Regional Manager", ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'insurance_directory.msg_region_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @staticmethod
    def default_kind():
        return 'territory'

    def get_rec_name(self, name):
        return '%s [%s]' % (self.name, self.code)

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name',) + tuple(clause[1:]),
            ('code',) + tuple(clause[1:]),
            ]

    @classmethod
    def validate_fields(cls, regions, field_names):
        super().validate_fields(regions, field_names)
        cls.check_code(regions, field_names)

    @classmethod
    def check_code(cls, regions, field_names=None):
        if field_names and 'code' not in field_names:
            return
        for region in regions:
            if not region.code.strip() or ' ' in region.code.strip():
                raise RegionValidationError(gettext(
                        'insurance_directory.msg_region_code_invalid',
                        code=region.code))

    def ancestors(self):
        "Return the region and its parents, nearest first"
        region, result = self, []
        while region and region not in result:
            result.append(region)
            region = region.parent
        return result
