# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from decimal import Decimal
from functools import lru_cache

from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.insurance_directory.model import (
    AmountLimitMixin, ServerReadonlyMixin)
from trytond.pool import Pool
from trytond.pyson import Id
from trytond.transaction import Transaction

from .exceptions import ConfigurationError

try:
    import holidays
except ImportError:
    holidays = None

_DURATIONS = [
    'initial_reserve_ratio', 'regularization_days', 'registration_days',
    'inspection_hours', 'notification_hours', 'decision_days',
    'max_complementary_requests', 'theft_location_days',
    'theft_documents_business_days', 'valuation_business_hours',
    'admission_order_days', 'maximum_amount',
    ]


@lru_cache(maxsize=64)
def _country_holidays(country, year):
    if not holidays or not country:
        return frozenset()
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:
        return frozenset()


class Configuration(
        ServerReadonlyMixin, AmountLimitMixin, ModelSingleton, ModelSQL,
        ModelView):
    __name__ = 'insurance.configuration'
    claim_sequence = fields.Many2One(
        'ir.sequence', "Claim Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('insurance_claims', 'sequence_type_claim')),
            ])
    initial_reserve_ratio = fields.Numeric(
        "Initial Reserve Ratio", digits=(16, 4), required=True,
        help="Share of the insured amounts of the affected coverages "
        "reserved at registration when the damage is not yet estimated.")
    regularization_days = fields.Integer(
        "Reserve Regularization Days", required=True,
        help="Days to regularize an estimated reserve once the damage "
        "estimate is known.")
    registration_days = fields.Integer(
        "Registration Days", required=True,
        help="Days from the notice to register the claim.")
    inspection_hours = fields.Integer(
        "Inspection Hours", required=True,
        help="Hours from the notice to inspect the loss.")
    notification_hours = fields.Integer(
        "Notification Hours", required=True,
        help="Hours from the notice to inform the authorization level.")
    decision_days = fields.Integer(
        "Decision Days", required=True,
        help="Days to decide after the last requested documents are "
        "delivered.")
    max_complementary_requests = fields.Integer(
        "Maximum Complementary Requests", required=True,
        help="Complementary document requests allowed after the first one "
        "(art. 1031 of the Bolivian insurance law).")
    theft_location_days = fields.Integer(
        "Theft Location Days", required=True,
        help="Days after the theft report to locate the vehicle before it "
        "is a total loss by theft.")
    theft_location_business_days = fields.Boolean(
        "Theft Location in Business Days",
        help="Count the theft location window in business days.")
    theft_location_cutoff = fields.Time(
        "Theft Location Cut-off", required=True,
        help="Time of the last day of the window until which a vehicle "
        "counts as located.")
    theft_documents_business_days = fields.Integer(
        "Theft Documents Business Days", required=True,
        help="Business days after the theft report to deliver the invoice "
        "and the theft report.")
    valuation_business_hours = fields.Integer(
        "Valuation Business Hours", required=True,
        help="Business hours from the vehicle's entry to the workshop to "
        "value the damage.")
    admission_order_days = fields.Integer(
        "Admission Order Days", required=True,
        help="Calendar days an admission order is valid.")
    xl_reinsurance_threshold = fields.Numeric(
        "XL Reinsurance Threshold", digits=(16, 2),
        help="Reserve from which the reinsurance department is notified.")
    business_calendar_country = fields.Char(
        "Business Calendar Country", size=2,
        help="ISO code of the country whose public holidays are not "
        "business days; empty for the company's country.")
    policy_system_start = fields.Date(
        "Policy System Start", required=True,
        help="No claim occurred or was notified before this date.")

    @classmethod
    def default_claim_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('insurance_claims', 'sequence_claim')
        except KeyError:
            return None

    @classmethod
    def default_initial_reserve_ratio(cls):
        return Decimal('0.10')

    @classmethod
    def default_regularization_days(cls):
        return 7

    @classmethod
    def default_registration_days(cls):
        return 7

    @classmethod
    def default_inspection_hours(cls):
        return 24

    @classmethod
    def default_notification_hours(cls):
        return 72

    @classmethod
    def default_decision_days(cls):
        return 30

    @classmethod
    def default_max_complementary_requests(cls):
        return 2

    @classmethod
    def default_theft_location_days(cls):
        return 30

    @classmethod
    def default_theft_location_business_days(cls):
        return False

    @classmethod
    def default_theft_location_cutoff(cls):
        return dt.time(12, 0)

    @classmethod
    def default_theft_documents_business_days(cls):
        return 7

    @classmethod
    def default_valuation_business_hours(cls):
        return 72

    @classmethod
    def default_admission_order_days(cls):
        return 30

    @classmethod
    def default_policy_system_start(cls):
        return dt.date(2000, 1, 1)

    @classmethod
    def validate_fields(cls, configurations, field_names):
        super().validate_fields(configurations, field_names)
        for configuration in configurations:
            for name in _DURATIONS:
                value = getattr(configuration, name)
                if value is not None and value < 0:
                    field = cls._fields[name]
                    raise ConfigurationError(gettext(
                            'insurance_claims.msg_configuration_negative',
                            field=field.string))

    def get_calendar_country(self):
        "Return the ISO code of the country of the business calendar"
        pool = Pool()
        Company = pool.get('company.company')
        if self.business_calendar_country:
            return self.business_calendar_country.upper()
        company_id = Transaction().context.get('company')
        if company_id:
            company = Company(company_id)
            address = company.party.address_get()
            if address and address.country:
                return address.country.code
        return None

    def is_business_day(self, date):
        "Tell if the date is neither a weekend nor a public holiday"
        if date.weekday() >= 5:
            return False
        return date not in _country_holidays(
            self.get_calendar_country(), date.year)

    def add_business_days(self, start, days):
        """Add business days (fractions allowed) to a date or datetime

        Non-business days are skipped whole, so 72 business hours are
        3 business days.
        """
        remaining = dt.timedelta(days=float(days))
        one_day = dt.timedelta(days=1)
        current = start
        while remaining > dt.timedelta(0):
            step = min(remaining, one_day)
            current += step
            remaining -= step
            if isinstance(current, dt.datetime):
                day = current.date()
            else:
                day = current
            while not self.is_business_day(day):
                current += one_day
                day += one_day
        return current

    def add_business_hours(self, start, hours):
        "Add business hours to a datetime"
        return self.add_business_days(start, Decimal(hours) / 24)
