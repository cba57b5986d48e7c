# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool

from .exceptions import LineValidationError

SCENARIOS = [
    ('any', "Any"),
    ('partial', "Partial Damage"),
    ('total_loss_accident', "Total Loss by Accident"),
    ('total_loss_theft', "Total Loss by Theft"),
    ('death', "Death"),
    ('liability', "Liability"),
    ]
PARTY_KINDS = [
    ('any', "Any"),
    ('natural', "Natural Person"),
    ('legal', "Legal Entity"),
    ('state', "State Entity"),
    ]


class Line(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'insurance.line'
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True)
    notice_days = fields.Integer(
        "Notice Days", required=True,
        help="Days the insured has to report a loss; a later notice "
        "needs a reason.")
    total_loss_threshold = fields.Numeric(
        "Total Loss Threshold", digits=(16, 4), required=True,
        help="Ratio of the insured amount from which damage is a total "
        "loss, e.g. 0.75.")
    requirements = fields.One2Many(
        'insurance.line.requirement', 'line', "Requirements")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'insurance_claims.msg_line_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @staticmethod
    def default_notice_days():
        return 3

    @staticmethod
    def default_total_loss_threshold():
        return Decimal('0.75')

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
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        cls.check_values(lines, field_names)

    @classmethod
    def check_values(cls, lines, field_names=None):
        if field_names and not (
                field_names & {'notice_days', 'total_loss_threshold'}):
            return
        for line in lines:
            if line.notice_days is not None and line.notice_days < 0:
                raise LineValidationError(gettext(
                        'insurance_claims.msg_line_notice_days_negative',
                        line=line.rec_name))
            threshold = line.total_loss_threshold
            if threshold is not None and not (0 < threshold <= 1):
                raise LineValidationError(gettext(
                        'insurance_claims.msg_total_loss_threshold_range',
                        record=line.rec_name))

    def requirements_for(self, scenario, party_kind):
        "Return the requirements of the line (and general ones) that apply"
        pool = Pool()
        Requirement = pool.get('insurance.line.requirement')
        return Requirement.search(
            Requirement.applicable_domain(self, scenario, party_kind),
            order=[('line', 'DESC NULLS FIRST'), ('sequence', 'ASC'),
                ('id', 'ASC')])


class Requirement(
        ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'insurance.line.requirement'
    line = fields.Many2One(
        'insurance.line', "Line of Business", ondelete='CASCADE',
        help="Leave empty for a requirement of every line.")
    name = fields.Char("Name", required=True)
    scenario = fields.Selection(
        SCENARIOS, "Scenario", required=True, sort=False)
    party_kind = fields.Selection(
        PARTY_KINDS, "Party Kind", required=True, sort=False,
        help="The kind of insured the requirement applies to.")
    mandatory = fields.Boolean("Mandatory")
    control = fields.Text(
        "Control", help="What the claims handler must check.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('line', 'ASC NULLS FIRST'),
            ('sequence', 'ASC'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_scenario():
        return 'any'

    @staticmethod
    def default_party_kind():
        return 'any'

    @staticmethod
    def default_mandatory():
        return True

    @classmethod
    def applicable_domain(cls, line, scenario, party_kind):
        "Domain of the requirements for a line, scenario and party kind"
        if isinstance(scenario, str) or scenario is None:
            scenario = [scenario] if scenario else []
        scenarios = list({'any', *scenario})
        # state entities also deliver what legal entities deliver [003 Annex 1]
        kinds = {
            'natural': ['any', 'natural'],
            'legal': ['any', 'legal'],
            'state': ['any', 'legal', 'state'],
            }.get(party_kind, ['any'])
        return [
            ['OR',
                ('line', '=', None),
                ('line', '=', line.id if line else None),
                ],
            ('scenario', 'in', scenarios),
            ('party_kind', 'in', kinds),
            ]
