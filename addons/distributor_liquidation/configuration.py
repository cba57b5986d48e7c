# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime
from decimal import Decimal

import holidays

from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.insurance_directory.model import (
    AmountLimitMixin, ServerReadonlyMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, Id
from trytond.transaction import Transaction

from .exceptions import (
    AmountValidationError, ConfigurationError, RoutingError)

TASK_KINDS = [
    ('plan_liquidation', "Plan Liquidation"),
    ('insurance_cancellation', "Insurance Cancellation"),
    ('invoice_delivery', "Invoice Delivery"),
    ('interest_waiver', "Interest Waiver"),
    ]
ROUTINGS = [
    ('customer_service', "Customer Service"),
    ('early_collection', "Early Telephone Collection"),
    ('extrajudicial', "Extrajudicial Collection"),
    ]


def field_string(Model, name):
    "Return the translated label of the field"
    return Model.fields_get([name])[name]['string']


def country_holidays(country_code, years):
    if not country_code:
        return {}
    try:
        return holidays.country_holidays(country_code, years=years)
    except NotImplementedError:
        return {}


def add_business_days(date, days, country_code=None):
    "Return the date days business days after date"
    years = {date.year, date.year + 1}
    closed = country_holidays(country_code, years)
    while days > 0:
        date += datetime.timedelta(days=1)
        if date.year not in years:
            years.add(date.year)
            closed = country_holidays(country_code, years)
        if date.weekday() >= 5 or date in closed:
            continue
        days -= 1
    return date


class Configuration(
        ServerReadonlyMixin, AmountLimitMixin, ModelSingleton, ModelSQL,
        ModelView):
    __name__ = 'distributor.configuration'
    arrears_threshold = fields.Numeric(
        "Arrears Threshold", digits=(16, 2), required=True,
        help="Arrears up to this amount go to customer service, "
        "above it to early telephone collection.")
    arrears_currency = fields.Many2One(
        'currency.currency', "Arrears Currency",
        help="The currency of the threshold; "
        "leave empty to read it in the currency of each plan.")
    customer_service_department = fields.Many2One(
        'insurance.department', "Customer Service",
        help="Where requests with arrears up to the threshold are routed.")
    early_collection_department = fields.Many2One(
        'insurance.department', "Early Telephone Collection",
        help="Where requests with arrears above the threshold are routed.")
    extrajudicial_department = fields.Many2One(
        'insurance.department', "Extrajudicial Collection",
        help="Where requests of plans in extrajudicial collection "
        "are routed.")
    business_days = fields.Boolean(
        "Business Days",
        help="Count response times in business days, skipping weekends "
        "and the public holidays of the company's country.")
    plan_liquidation_days = fields.Integer(
        "Plan Liquidation Days", required=True)
    insurance_cancellation_days = fields.Integer(
        "Insurance Cancellation Days", required=True)
    invoice_delivery_days = fields.Integer(
        "Invoice Delivery Days", required=True)
    interest_waiver_days = fields.Integer(
        "Interest Waiver Days", required=True)
    commitment_horizon_days = fields.Integer(
        "Commitment Horizon Days", required=True,
        help="The commitment date of a request is at most this many days "
        "after its request date.")
    liquidation_sequence = fields.Many2One(
        'ir.sequence', "Liquidation Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('distributor_liquidation', 'sequence_type_liquidation')),
            ])
    liquidation_account = fields.Many2One(
        'account.account', "Liquidation Account",
        domain=[
            ('closed', '!=', True),
            ('type.revenue', '=', True),
            ('company', '=', Eval('context', {}).get('company', -1)),
            ],
        help="The revenue account of the customer invoices "
        "for the agreed amounts.")
    interest_waiver_account = fields.Many2One(
        'account.account', "Interest Waiver Account",
        domain=[
            ('closed', '!=', True),
            ('type.revenue', '=', True),
            ('company', '=', Eval('context', {}).get('company', -1)),
            ],
        help="The account of the credit notes for waived interest; "
        "the liquidation account when empty.")

    @classmethod
    def default_arrears_threshold(cls):
        return Decimal('500.00')

    @classmethod
    def default_business_days(cls):
        return True

    @classmethod
    def default_plan_liquidation_days(cls):
        return 1

    @classmethod
    def default_insurance_cancellation_days(cls):
        return 2

    @classmethod
    def default_invoice_delivery_days(cls):
        return 5

    @classmethod
    def default_interest_waiver_days(cls):
        return 3

    @classmethod
    def default_commitment_horizon_days(cls):
        # one year, 29 February included: the next annual instalment fits
        return 366

    @classmethod
    def default_liquidation_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id(
                'distributor_liquidation', 'sequence_liquidation')
        except KeyError:
            return None

    @classmethod
    def validate_fields(cls, configurations, field_names):
        super().validate_fields(configurations, field_names)
        cls.check_amounts(configurations, field_names)

    @classmethod
    def check_amounts(cls, configurations, field_names=None):
        names = ['plan_liquidation_days', 'insurance_cancellation_days',
            'invoice_delivery_days', 'interest_waiver_days',
            'commitment_horizon_days', 'maximum_amount']
        for configuration in configurations:
            if (configuration.arrears_threshold is not None
                    and configuration.arrears_threshold < 0):
                raise AmountValidationError(gettext(
                        'distributor_liquidation.msg_amount_not_negative',
                        field=field_string(cls, 'arrears_threshold'),
                        record=gettext(
                            'distributor_liquidation.msg_configuration')))
            for name in names:
                value = getattr(configuration, name)
                if value is not None and value < 0:
                    raise AmountValidationError(gettext(
                            'distributor_liquidation.msg_amount_not_negative',
                            field=field_string(cls, name),
                            record=gettext(
                                'distributor_liquidation.msg_configuration')))

    def arrears_threshold_in(self, currency, date=None):
        "Return the threshold in currency"
        pool = Pool()
        Currency = pool.get('currency.currency')
        Date = pool.get('ir.date')
        threshold = self.arrears_threshold
        if threshold is None:
            threshold = self.default_arrears_threshold()
        if (not self.arrears_currency or not currency
                or self.arrears_currency == currency):
            return threshold
        with Transaction().set_context(date=date or Date.today()):
            return Currency.compute(self.arrears_currency, threshold, currency)

    def routing_for(self, plan):
        "Return the routing key of the plan"
        if plan.collection_stage == 'extrajudicial':
            return 'extrajudicial'
        threshold = self.arrears_threshold_in(plan.currency)
        if (plan.arrears_amount or Decimal(0)) <= threshold:
            return 'customer_service'
        return 'early_collection'

    def routing_department_for(self, plan):
        "Return the directory department that must handle the plan"
        routing = self.routing_for(plan)
        department = getattr(self, '%s_department' % routing)
        if not department:
            raise RoutingError(gettext(
                    'distributor_liquidation.msg_routing_department_missing',
                    routing=dict(ROUTINGS)[routing],
                    plan=plan.rec_name))
        return department

    def response_days(self, kind):
        return getattr(self, {
                'plan_liquidation': 'plan_liquidation_days',
                'insurance_cancellation': 'insurance_cancellation_days',
                'invoice_delivery': 'invoice_delivery_days',
                'interest_waiver': 'interest_waiver_days',
                }[kind]) or 0

    def response_due_date(self, kind, start, company=None):
        "Return when a task of kind is due when counted from start"
        days = self.response_days(kind)
        if not self.business_days:
            return start + datetime.timedelta(days=days)
        return add_business_days(start, days, self.country_code(company))

    @staticmethod
    def country_code(company):
        if not company:
            return None
        address = company.party.address_get()
        if address and address.country:
            return address.country.code
        return None

    def get_liquidation_account(self):
        if not self.liquidation_account:
            raise ConfigurationError(gettext(
                    'distributor_liquidation.msg_liquidation_account_missing'))
        return self.liquidation_account
