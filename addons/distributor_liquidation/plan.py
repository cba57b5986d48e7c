# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import calendar
import datetime
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .configuration import ROUTINGS, field_string
from .exceptions import AmountValidationError

FREQUENCY_MONTHS = {
    'monthly': 1,
    'quarterly': 3,
    'semiannual': 6,
    'annual': 12,
    }


def add_months(date, months):
    "Return date moved by months, on the last day when the month is shorter"
    month = date.month - 1 + months
    year = date.year + month // 12
    month = month % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def next_due_date(start, frequency, after):
    "Return the first instalment date of the schedule strictly after after"
    step = FREQUENCY_MONTHS[frequency]
    if start > after:
        return start
    # Always count from start so that a 31st stays a 31st after February
    count = ((after.year - start.year) * 12
        + after.month - start.month) // step
    while True:
        date = add_months(start, count * step)
        if date > after:
            return date
        count += 1


def default_distributor():
    pool = Pool()
    User = pool.get('res.user')
    user = Transaction().user
    if user:
        distributor = User(user).distributor
        if distributor:
            return distributor.id


class Plan(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'distributor.plan'
    _rec_name = 'member_code'
    company = fields.Many2One(
        'company.company', "Company", required=True)
    group_code = fields.Char("Group", required=True)
    member_code = fields.Char("Member", required=True)
    customer = fields.Many2One(
        'party.party', "Customer", required=True,
        context={
            'company': Eval('company', -1),
            },
        depends=['company'])
    distributor = fields.Many2One(
        'party.party', "Dealer", required=True,
        context={
            'company': Eval('company', -1),
            },
        depends=['company'],
        help="The dealer (distribuidora) that sold the plan.")
    plan_type = fields.Selection([
            ('standard', "Standard"),
            ('platinum', "Platinum"),
            ], "Plan Type", required=True)
    vehicle = fields.Char("Vehicle")
    auto_policy_number = fields.Char("Auto Policy Number")
    insurance_frequency = fields.Selection([
            ('monthly', "Monthly"),
            ('quarterly', "Quarterly"),
            ('semiannual', "Semiannual"),
            ('annual', "Annual"),
            ], "Insurance Frequency", required=True,
        help="How often the auto insurance instalment falls due.")
    insurance_start_date = fields.Date("Insurance Start Date", required=True)
    currency = fields.Many2One('currency.currency', "Currency", required=True)
    arrears_amount = Monetary(
        "Arrears", currency='currency', digits='currency', required=True,
        help="The overdue balance (adeudo) of the customer's statement.")
    collection_stage = fields.Selection([
            ('current', "Current"),
            ('extrajudicial', "Extrajudicial Collection"),
            ], "Collection Stage", required=True)
    balance_lines = fields.One2Many(
        'distributor.plan.balance_line', 'plan', "Balance")
    quoted_amount = fields.Function(Monetary(
            "Quoted Amount", currency='currency', digits='currency',
            help="The balance to liquidate, without life insurance."),
        'get_quoted_amount')
    routing = fields.Function(fields.Selection(
            ROUTINGS, "Routing"), 'get_routing')
    routing_department = fields.Function(fields.Many2One(
            'insurance.department', "Routing Department"),
        'get_routing_department')
    next_insurance_due = fields.Function(fields.Date(
            "Next Insurance Due Date"), 'get_next_insurance_due')
    liquidations = fields.One2Many(
        'distributor.liquidation', 'plan', "Liquidation Requests",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('group_member_unique',
                Unique(t, t.company, t.group_code, t.member_code),
                'distributor_liquidation.msg_plan_group_member_unique'),
            ]
        cls._order = [
            ('group_code', 'ASC'),
            ('member_code', 'ASC'),
            ('id', 'ASC'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = cls.default_company()
        if company is not None and company >= 0:
            return Company(company).currency.id

    @classmethod
    def default_distributor(cls):
        return default_distributor()

    @classmethod
    def default_plan_type(cls):
        return 'standard'

    @classmethod
    def default_insurance_frequency(cls):
        return 'monthly'

    @classmethod
    def default_collection_stage(cls):
        return 'current'

    @classmethod
    def default_arrears_amount(cls):
        return Decimal(0)

    def get_rec_name(self, name):
        return '%s-%s' % (self.group_code, self.member_code)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause[:3]
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        domain = [bool_op,
            ('group_code', operator, value),
            ('member_code', operator, value),
            ('customer.rec_name', operator, value),
            ]
        if (isinstance(value, str) and '-' in value.strip('%')
                and operator in {'=', 'ilike', 'like'}):
            group, member = value.strip('%').split('-', 1)
            domain.append([
                    ('group_code', '=', group.strip()),
                    ('member_code', '=', member.strip()),
                    ])
        return domain

    @classmethod
    def validate_fields(cls, plans, field_names):
        super().validate_fields(plans, field_names)
        cls.check_arrears(plans, field_names)

    @classmethod
    def check_arrears(cls, plans, field_names=None):
        if field_names and 'arrears_amount' not in field_names:
            return
        for plan in plans:
            if plan.arrears_amount is not None and plan.arrears_amount < 0:
                raise AmountValidationError(gettext(
                        'distributor_liquidation.msg_amount_not_negative',
                        field=field_string(cls, 'arrears_amount'),
                        record=plan.rec_name))

    def liquidation_amount(self):
        "Return the amount to liquidate: every balance but life insurance"
        amount = sum((l.amount or Decimal(0) for l in self.balance_lines
                if l.concept != 'life_insurance'), Decimal(0))
        return self.currency.round(amount) if self.currency else amount

    def get_quoted_amount(self, name):
        return self.liquidation_amount()

    def routing_department_for(self):
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        return Configuration(1).routing_department_for(self)

    def get_routing(self, name):
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        return Configuration(1).routing_for(self)

    def get_routing_department(self, name):
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        department = getattr(
            Configuration(1), '%s_department' % self.routing)
        return department.id if department else None

    def next_insurance_due_date(self, after=None):
        "Return the next auto insurance instalment date after the date"
        pool = Pool()
        Date = pool.get('ir.date')
        if not self.insurance_start_date or not self.insurance_frequency:
            return None
        if after is None:
            with Transaction().set_context(company=self.company.id):
                after = Date.today()
        return next_due_date(
            self.insurance_start_date, self.insurance_frequency, after)

    def get_next_insurance_due(self, name):
        return self.next_insurance_due_date()

    @classmethod
    def copy(cls, plans, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('liquidations', None)
        default.setdefault('member_code', lambda d: '%s*' % d['member_code'])
        return super().copy(plans, default=default)


class BalanceLine(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'distributor.plan.balance_line'
    plan = fields.Many2One(
        'distributor.plan', "Plan", required=True, ondelete='CASCADE')
    concept = fields.Selection([
            ('capital', "Capital"),
            ('admin_fee', "Administration Fee"),
            ('auto_insurance', "Auto Insurance"),
            ('life_insurance', "Life Insurance"),
            ('interest', "Interest"),
            ('penalty', "Penalty"),
            ('other', "Other"),
            ], "Concept", required=True)
    concept_string = concept.translated('concept')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount = Monetary(
        "Amount", currency='currency', digits='currency', required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')

    @fields.depends('plan', '_parent_plan.currency')
    def on_change_with_currency(self, name=None):
        return self.plan.currency if self.plan else None

    def get_rec_name(self, name):
        return '%s: %s' % (self.plan.rec_name, self.concept_string)

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names and 'amount' not in field_names:
            return
        for line in lines:
            if line.amount is not None and line.amount < 0:
                raise AmountValidationError(gettext(
                        'distributor_liquidation.msg_amount_not_negative',
                        field=field_string(cls, 'amount'),
                        record=line.rec_name))
