# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import PolicyValidationError


class Policy(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'insurance.policy'
    _rec_name = 'number'
    company = fields.Many2One('company.company', "Company", required=True)
    number = fields.Char("Number", required=True)
    insured = fields.Many2One(
        'party.party', "Insured", required=True, ondelete='RESTRICT')
    holder = fields.Many2One(
        'party.party', "Holder", ondelete='RESTRICT',
        help="The party who contracted the policy, if not the insured.")
    line = fields.Many2One(
        'insurance.line', "Line of Business", required=True,
        ondelete='RESTRICT')
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date", required=True,
        domain=[
            If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ])
    issuing_region = fields.Many2One(
        'insurance.region', "Issuing Region", ondelete='RESTRICT')
    currency = fields.Many2One('currency.currency', "Currency", required=True)
    premium_paid_until = fields.Date(
        "Premium Paid Until",
        help="The date up to which the premium is paid.")
    preferred_beneficiary = fields.Many2One(
        'party.party', "Preferred Beneficiary", ondelete='RESTRICT',
        help="The party paid first for own damage and total loss, "
        "e.g. the financing company.")
    facultative_reinsurance = fields.Boolean("Facultative Reinsurance")
    xl_reinsurance = fields.Boolean("XL Reinsurance")
    total_loss_threshold = fields.Numeric(
        "Total Loss Threshold", digits=(16, 4),
        help="Overrides the threshold of the line of business.")
    notice_days = fields.Integer(
        "Notice Days",
        help="Overrides the notice days of the line of business.")
    insured_object = fields.Text("Insured Object")
    coverages = fields.One2Many(
        'insurance.policy.coverage', 'policy', "Coverages")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('number_unique', Unique(t, t.number),
                'insurance_claims.msg_policy_number_unique'),
            ]
        cls._order.insert(0, ('number', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if company:
            return Company(company).currency.id

    @classmethod
    def validate_fields(cls, policies, field_names):
        super().validate_fields(policies, field_names)
        cls.check_dates(policies, field_names)
        cls.check_overrides(policies, field_names)

    @classmethod
    def check_dates(cls, policies, field_names=None):
        if field_names and not (field_names & {'start_date', 'end_date'}):
            return
        for policy in policies:
            if policy.end_date < policy.start_date:
                raise PolicyValidationError(gettext(
                        'insurance_claims.msg_policy_end_before_start',
                        policy=policy.rec_name))

    @classmethod
    def check_overrides(cls, policies, field_names=None):
        if field_names and not (
                field_names & {'total_loss_threshold', 'notice_days'}):
            return
        for policy in policies:
            threshold = policy.total_loss_threshold
            if threshold is not None and not (0 < threshold <= 1):
                raise PolicyValidationError(gettext(
                        'insurance_claims.msg_total_loss_threshold_range',
                        record=policy.rec_name))
            if policy.notice_days is not None and policy.notice_days < 0:
                raise PolicyValidationError(gettext(
                        'insurance_claims.msg_policy_notice_days_negative',
                        policy=policy.rec_name))

    def get_total_loss_threshold(self):
        "Return the total-loss ratio of the policy, else of its line"
        if self.total_loss_threshold is not None:
            return self.total_loss_threshold
        return self.line.total_loss_threshold

    def get_notice_days(self):
        "Return the days to report a loss, of the policy else of its line"
        if self.notice_days is not None:
            return self.notice_days
        return self.line.notice_days

    def is_in_force(self, date):
        return self.start_date <= date <= self.end_date

    def is_premium_paid(self, date):
        return bool(self.premium_paid_until
            and self.premium_paid_until >= date)


class Coverage(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'insurance.policy.coverage'
    policy = fields.Many2One(
        'insurance.policy', "Policy", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"),
        'on_change_with_currency')
    insured_amount = fields.Numeric(
        "Insured Amount", digits=(16, 2), required=True)
    deductible_kind = fields.Selection([
            ('none', "None"),
            ('fixed', "Fixed Amount"),
            ('insured_percent', "Percent of Insured Amount"),
            ('loss_percent', "Percent of Loss"),
            ], "Deductible Kind", required=True, sort=False)
    deductible_value = fields.Numeric(
        "Deductible Value", digits=(16, 2),
        states={
            'invisible': Eval('deductible_kind') == 'none',
            'required': Eval('deductible_kind') != 'none',
            })
    deductible_minimum = fields.Numeric(
        "Deductible Minimum", digits=(16, 2),
        states={
            'invisible': ~Eval('deductible_kind').in_(
                ['insured_percent', 'loss_percent']),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('policy')

    @staticmethod
    def default_deductible_kind():
        return 'none'

    @fields.depends('policy', '_parent_policy.currency')
    def on_change_with_currency(self, name=None):
        return self.policy.currency if self.policy else None

    def get_rec_name(self, name):
        return '%s - %s' % (self.policy.rec_name, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name',) + tuple(clause[1:]),
            ('policy.number',) + tuple(clause[1:]),
            ]

    @classmethod
    def validate_fields(cls, coverages, field_names):
        super().validate_fields(coverages, field_names)
        cls.check_amounts(coverages, field_names)

    @classmethod
    def check_amounts(cls, coverages, field_names=None):
        names = {'insured_amount', 'deductible_value', 'deductible_minimum'}
        if field_names and not (field_names & names):
            return
        for coverage in coverages:
            if coverage.insured_amount <= 0:
                raise PolicyValidationError(gettext(
                        'insurance_claims.msg_coverage_insured_amount',
                        coverage=coverage.rec_name))
            for name in ['deductible_value', 'deductible_minimum']:
                value = getattr(coverage, name)
                if value is not None and value < 0:
                    raise PolicyValidationError(gettext(
                            'insurance_claims.msg_coverage_negative',
                            coverage=coverage.rec_name,
                            field=cls._fields[name].string))
