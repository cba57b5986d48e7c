# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Deductible of a claim [003 §3, §4.2.4.g] and its notice [002]"""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .common import now
from .exceptions import SettlementError

MODALITIES = [
    ('paid', "Paid at Office or by Transfer"),
    ('work_orders', "Discounted from Work Orders"),
    ('indemnity', "Discounted from the Indemnity"),
    ]
_OPEN = {'readonly': Eval('state').in_(['closed', 'cancelled', 'declined'])}


def coverage_deductible(coverage, loss):
    """Return the deductible of a coverage for a loss

    deductible_value is an amount for `fixed` and a percentage (10 = 10 %)
    of the insured amount or of the loss otherwise; the minimum applies to
    the percentages.
    """
    kind = coverage.deductible_kind
    value = coverage.deductible_value or Decimal(0)
    if kind == 'fixed':
        amount = value
    elif kind == 'insured_percent':
        amount = coverage.insured_amount * value / 100
    elif kind == 'loss_percent':
        amount = (loss or Decimal(0)) * value / 100
    else:
        return Decimal(0)
    if kind != 'fixed' and coverage.deductible_minimum:
        amount = max(amount, coverage.deductible_minimum)
    return amount


class Claim(metaclass=PoolMeta):
    __name__ = 'insurance.claim'
    deductible_modality = fields.Selection(
        MODALITIES, "Deductible Modality", required=True, sort=False,
        states=_OPEN)
    deductible = fields.Function(fields.Numeric(
            "Deductible", digits=(16, 2),
            help="Computed from the affected coverages on the loss."),
        'get_deductible')
    deductible_discounted = fields.Function(fields.Numeric(
            "Deductible Discounted", digits=(16, 2),
            help="Discounted from work orders and payment orders."),
        'get_deductible')
    deductible_pending = fields.Function(fields.Numeric(
            "Deductible Pending", digits=(16, 2)), 'get_deductible')
    deductible_notice_on = fields.Date(
        "Deductible Notice Sent on", readonly=True)
    deductible_notice_valid_until = fields.Function(fields.Date(
            "Deductible Notice Valid until"), 'get_deductible_notice')
    deductible_notice_expired = fields.Function(fields.Boolean(
            "Deductible Notice Expired"), 'get_deductible_notice')
    deductible_paid_on = fields.Date(
        "Deductible Paid on", states={
            **_OPEN,
            'invisible': Eval('deductible_modality') != 'paid',
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'send_deductible_notice': {
                    'invisible': (
                        ~Eval('state').in_(['open', 'approval', 'approved'])
                        | Eval('deductible_paid_on')),
                    'depends': ['state', 'deductible_paid_on'],
                    },
                })

    @staticmethod
    def default_deductible_modality():
        return 'paid'

    def loss_amount(self):
        "The loss the deductible applies to"
        valuation = getattr(self, 'valuation_amount', None)
        return valuation or self.damage_estimate or Decimal(0)

    def deductible_amount(self, loss=None):
        """Return the deductible of the affected coverages for the loss

        Never more than the loss.
        """
        if loss is None:
            loss = self.loss_amount()
        amount = sum((coverage_deductible(c, loss)
                for c in self.coverages or []), Decimal(0))
        if loss:
            amount = min(amount, loss)
        if self.currency:
            amount = self.currency.round(amount)
        return amount

    def deductible_discounted_amount(self, exclude=None):
        "Deductible already discounted from live orders"
        amount = Decimal(0)
        for order in getattr(self, 'work_orders', None) or []:
            if order.state != 'cancelled' and order != exclude:
                amount += order.deductible_discount or 0
        for payment in getattr(self, 'payments', None) or []:
            if payment.state != 'cancelled' and payment != exclude:
                amount += payment.deductible_amount or 0
        return amount

    def deductible_to_discount(self, modality, amount, exclude=None):
        "The deductible an order of the modality should discount from amount"
        if self.deductible_modality != modality:
            return Decimal(0)
        remaining = (self.deductible_amount()
            - self.deductible_discounted_amount(exclude=exclude))
        return max(min(remaining, amount or Decimal(0)), Decimal(0))

    @classmethod
    def get_deductible(cls, claims, names):
        result = {n: {} for n in names}
        for claim in claims:
            total = claim.deductible_amount()
            discounted = claim.deductible_discounted_amount()
            if (claim.deductible_modality == 'paid'
                    and claim.deductible_paid_on):
                pending = Decimal(0)
            elif claim.deductible_modality == 'paid':
                pending = total
            else:
                pending = max(total - discounted, Decimal(0))
            values = {
                'deductible': total,
                'deductible_discounted': discounted,
                'deductible_pending': pending,
                }
            for name in names:
                result[name][claim.id] = values[name]
        return result

    @classmethod
    def get_deductible_notice(cls, claims, names):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        Date = pool.get('ir.date')
        days = Configuration(1).deductible_notice_days
        today = Date.today()
        result = {n: {} for n in names}
        for claim in claims:
            until = None
            if claim.deductible_notice_on:
                until = claim.deductible_notice_on + dt.timedelta(days=days)
            if 'deductible_notice_valid_until' in names:
                result['deductible_notice_valid_until'][claim.id] = until
            if 'deductible_notice_expired' in names:
                result['deductible_notice_expired'][claim.id] = bool(
                    until and until < today and not claim.deductible_paid_on)
        return result

    @classmethod
    @ModelView.button
    def send_deductible_notice(cls, claims):
        "Record the notice of the deductible sent to the insured"
        for claim in claims:
            if claim.deductible_amount() <= 0:
                raise SettlementError(gettext(
                        'insurance_claims.msg_deductible_none',
                        claim=claim.rec_name))
        cls.write(claims, {'deductible_notice_on': now().date()})

    def check_deductible_paid(self):
        "Raise if the insured must still pay the deductible at the office"
        if (self.deductible_modality == 'paid'
                and self.deductible_amount() > 0
                and not self.deductible_paid_on):
            raise SettlementError(gettext(
                    'insurance_claims.msg_deductible_not_paid',
                    claim=self.rec_name,
                    amount=self.deductible_amount()))

    @classmethod
    def validate_fields(cls, claims, field_names):
        super().validate_fields(claims, field_names)
        if field_names and 'deductible_paid_on' not in field_names:
            return
        for claim in claims:
            if (claim.deductible_paid_on and claim.deductible_notice_on
                    and claim.deductible_paid_on > claim.deductible_notice_on
                    + dt.timedelta(days=cls._deductible_notice_days())):
                raise SettlementError(gettext(
                        'insurance_claims.msg_deductible_notice_expired',
                        claim=claim.rec_name))

    @classmethod
    def _deductible_notice_days(cls):
        return Pool().get('insurance.configuration')(1).deductible_notice_days
