# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.tools import timezone as tz

from .claim import _ACTIVE, _DRAFT
from .common import now
from .exceptions import ClaimStateError, TotalLossError

TOTAL_LOSS_KINDS = [
    (None, ""),
    ('real', "Real"),
    ('constructive', "Constructive"),
    ('arranged', "Arranged"),
    ]


class Claim(metaclass=PoolMeta):
    "Total loss [003 §3] and auto theft [002]"
    __name__ = 'insurance.claim'
    valuation_labour = fields.Numeric(
        "Labour", digits=(16, 2), states=_ACTIVE)
    valuation_parts = fields.Numeric("Parts", digits=(16, 2), states=_ACTIVE)
    valuation_materials = fields.Numeric(
        "Materials", digits=(16, 2), states=_ACTIVE)
    valuation_amount = fields.Function(fields.Numeric(
            "Damage Valuation", digits=(16, 2)),
        'on_change_with_valuation_amount')
    admission_order_on = fields.Date("Admission Order Issued on",
        states=_ACTIVE)
    vehicle_entry_at = fields.DateTime("Vehicle Entry at", states=_ACTIVE)
    valued_at = fields.DateTime("Valued at", states=_ACTIVE)
    total_loss = fields.Boolean("Total Loss", readonly=True)
    total_loss_kind = fields.Selection(
        TOTAL_LOSS_KINDS, "Total Loss Kind", sort=False, states=_ACTIVE)
    total_loss_declared_at = fields.DateTime(
        "Total Loss Declared at", readonly=True)
    theft_reported_at = fields.DateTime(
        "Theft Reported at", states={
            'readonly': _DRAFT['readonly'],
            'invisible': ~Eval('theft'),
            'required': Bool(Eval('theft')) & (Eval('state') != 'draft'),
            })
    theft_documents_received_at = fields.DateTime(
        "Theft Documents Received at",
        states={'invisible': ~Eval('theft'), **_ACTIVE},
        help="When the vehicle's invoice and the theft report arrived.")
    located_at = fields.DateTime(
        "Located at", states={'invisible': ~Eval('theft'), **_ACTIVE})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'declare_total_loss': {
                    'invisible': (~Eval('state').in_(['open', 'approval'])
                        | Eval('total_loss', False)),
                    'depends': ['state', 'total_loss'],
                    },
                })

    @staticmethod
    def default_total_loss():
        return False

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="theft"]', 'states', {
                    'invisible': ~Eval('theft'),
                    }),
            ]

    @classmethod
    def _dates_after_occurrence(cls):
        return super()._dates_after_occurrence() + [
            'theft_reported_at', 'located_at']

    @classmethod
    def _positive_amounts(cls):
        return super()._positive_amounts() + [
            'valuation_labour', 'valuation_parts', 'valuation_materials']

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if (mode == 'create' and values.get('theft')
                and not values.get('theft_reported_at')
                and values.get('notified_at')):
            values['theft_reported_at'] = values['notified_at']
        return values

    @classmethod
    def copy(cls, claims, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('total_loss', False)
        default.setdefault('total_loss_declared_at', None)
        return super().copy(claims, default=default)

    @fields.depends('theft', 'notified_at', 'theft_reported_at')
    def on_change_theft(self):
        if self.theft and not self.theft_reported_at:
            self.theft_reported_at = self.notified_at

    @fields.depends(
        'valuation_labour', 'valuation_parts', 'valuation_materials')
    def on_change_with_valuation_amount(self, name=None):
        values = [self.valuation_labour, self.valuation_parts,
            self.valuation_materials]
        if all(v is None for v in values):
            return None
        return sum((v or Decimal(0) for v in values), Decimal(0))

    def get_total_loss_threshold(self):
        if self.policy:
            return self.policy.get_total_loss_threshold()
        return self.line.total_loss_threshold

    def is_total_loss(self, damage=None):
        "Tell if the damage reaches the total-loss share of the insured amount"
        if damage is None:
            damage = self.valuation_amount
            if damage is None:
                damage = self.damage_estimate
        if damage is None or not self.insured_amount:
            return False
        return damage >= self.get_total_loss_threshold() * self.insured_amount

    def theft_location_deadline(self):
        "Return the UTC time until which a stolen vehicle counts as located"
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        if not self.theft_reported_at:
            return None
        config = Configuration(1)
        zone = tz.UTC
        if self.company and self.company.timezone:
            zone = tz.ZoneInfo(self.company.timezone)
        reported = self.theft_reported_at.replace(tzinfo=tz.UTC).astimezone(
            zone)
        if config.theft_location_business_days:
            day = config.add_business_days(
                reported.date(), config.theft_location_days)
        else:
            day = reported.date() + dt.timedelta(
                days=config.theft_location_days)
        local = dt.datetime.combine(
            day, config.theft_location_cutoff, tzinfo=zone)
        return local.astimezone(tz.UTC).replace(tzinfo=None)

    def is_located_in_time(self):
        "Tell if the stolen vehicle was located within the window"
        deadline = self.theft_location_deadline()
        return bool(self.located_at and deadline
            and self.located_at <= deadline)

    def theft_documents_deadline(self):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        if not self.theft_reported_at:
            return None
        config = Configuration(1)
        return config.add_business_days(
            self.theft_reported_at, config.theft_documents_business_days)

    @classmethod
    @ModelView.button
    def declare_total_loss(cls, claims):
        pool = Pool()
        Document = pool.get('insurance.claim.document')
        for claim in claims:
            if claim.state not in {'open', 'approval'} or claim.total_loss:
                raise ClaimStateError(gettext(
                        'insurance_claims.msg_claim_total_loss_state',
                        claim=claim.rec_name))
            claim.check_total_loss()
        declared_at = now()
        documents = []
        for claim in claims:
            claim.total_loss = True
            claim.total_loss_declared_at = declared_at
            if claim.theft:
                claim.scenario = 'total_loss_theft'
                if not claim.total_loss_kind:
                    claim.total_loss_kind = (
                        'constructive' if claim.is_located_in_time()
                        else 'real')
            else:
                claim.scenario = 'total_loss_accident'
                if not claim.total_loss_kind:
                    claim.total_loss_kind = 'constructive'
            documents.extend(claim.get_checklist())
        cls.save(claims)
        Document.save(documents)

    def check_total_loss(self):
        "Raise if the claim does not qualify as a total loss"
        if self.total_loss_kind == 'arranged':
            return
        if self.theft and not self.located_at:
            deadline = self.theft_location_deadline()
            if deadline and now() > deadline:
                return
            raise TotalLossError(gettext(
                    'insurance_claims.msg_total_loss_theft_window',
                    claim=self.rec_name, deadline=deadline))
        if not self.is_total_loss():
            damage = self.valuation_amount
            if damage is None:
                damage = self.damage_estimate
            raise TotalLossError(gettext(
                    'insurance_claims.msg_total_loss_below_threshold',
                    claim=self.rec_name, damage=damage or 0,
                    threshold=self.get_total_loss_threshold(),
                    insured=self.insured_amount))


