# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import re

from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields

from trytond.modules.insurance_directory.department import is_email
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from .common import RelationIndexMixin
from .exceptions import AdjusterValidationError

ADJUSTER_KINDS = [
    ('adjuster', "Loss Adjuster"),
    ('investigator', "Claims Investigator"),
    ('average_inspector', "Average Inspector"),
    ('medical_auditor', "Medical Auditor"),
    ]
_PHONE = re.compile(r'^[0-9 +\-().]+$')


class Adjuster(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'insurance.adjuster'
    party = fields.Many2One(
        'party.party', "Firm", required=True, ondelete='RESTRICT')
    kind = fields.Selection(ADJUSTER_KINDS, "Kind", required=True, sort=False)
    contact_name = fields.Char("Contact Name")
    phone = fields.Char("Phone")
    email = fields.Char("E-Mail")
    regions = fields.Many2Many(
        'insurance.adjuster-insurance.region', 'adjuster', 'region',
        "Regions")
    lines = fields.Many2Many(
        'insurance.adjuster-insurance.line', 'adjuster', 'line',
        "Lines of Business")
    represents = fields.Char(
        "Represents", help="The international firm it represents, if any.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('party', 'ASC'))

    @staticmethod
    def default_kind():
        return 'adjuster'

    def get_rec_name(self, name):
        return self.party.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('party.rec_name',) + tuple(clause[1:]),
            ('contact_name',) + tuple(clause[1:]),
            ]

    @classmethod
    def validate_fields(cls, adjusters, field_names):
        super().validate_fields(adjusters, field_names)
        if field_names and not (field_names & {'email', 'phone'}):
            return
        for adjuster in adjusters:
            if adjuster.email and not is_email(adjuster.email):
                raise AdjusterValidationError(gettext(
                        'insurance_claims.msg_adjuster_invalid_email',
                        adjuster=adjuster.rec_name, value=adjuster.email))
            if adjuster.phone and not _PHONE.match(adjuster.phone):
                raise AdjusterValidationError(gettext(
                        'insurance_claims.msg_adjuster_invalid_phone',
                        adjuster=adjuster.rec_name, value=adjuster.phone))


class AdjusterRegion(ServerReadonlyMixin, RelationIndexMixin, ModelSQL):
    __name__ = 'insurance.adjuster-insurance.region'
    adjuster = fields.Many2One(
        'insurance.adjuster', "Adjuster", required=True, ondelete='CASCADE')
    region = fields.Many2One(
        'insurance.region', "Region", required=True, ondelete='CASCADE')


class AdjusterLine(ServerReadonlyMixin, RelationIndexMixin, ModelSQL):
    __name__ = 'insurance.adjuster-insurance.line'
    adjuster = fields.Many2One(
        'insurance.adjuster', "Adjuster", required=True, ondelete='CASCADE')
    line = fields.Many2One(
        'insurance.line', "Line of Business", required=True,
        ondelete='CASCADE')
