# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import now
from .exceptions import ReserveValidationError


class Reserve(ModelSQL, ModelView):
    __name__ = 'insurance.claim.reserve'
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, ondelete='CASCADE')
    date = fields.DateTime("Date", required=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True,
        help="The reserve of the claim from this date.")
    kind = fields.Selection([
            ('initial', "Initial"),
            ('estimate', "Estimate"),
            ('adjustment', "Adjustment"),
            ('release', "Release"),
            ('reopen', "Reopening"),
            ], "Kind", required=True, sort=False)
    reason = fields.Text(
        "Reason", states={
            'required': Eval('kind').in_(['adjustment', 'release', 'reopen']),
            })
    estimated = fields.Boolean(
        "Estimated", help="The amount is a placeholder, not an estimate of "
        "the damage.")
    user = fields.Many2One('res.user', "User", readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_date(cls):
        return now()

    @staticmethod
    def default_kind():
        return 'adjustment'

    @staticmethod
    def default_estimated():
        return False

    @staticmethod
    def default_user():
        return Transaction().user

    @fields.depends('claim', '_parent_claim.currency')
    def on_change_with_currency(self, name=None):
        return self.claim.currency if self.claim else None

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['user'] = Transaction().user
        return values

    @classmethod
    def validate_fields(cls, reserves, field_names):
        super().validate_fields(reserves, field_names)
        for reserve in reserves:
            if reserve.amount < 0:
                raise ReserveValidationError(gettext(
                        'insurance_claims.msg_reserve_amount_negative',
                        claim=reserve.claim.rec_name))
            if (reserve.kind in {'adjustment', 'release', 'reopen'}
                    and not (reserve.reason or '').strip()):
                raise ReserveValidationError(gettext(
                        'insurance_claims.msg_reserve_reason_required',
                        claim=reserve.claim.rec_name))

    @classmethod
    def check_modification(cls, mode, reserves, values=None, external=False):
        super().check_modification(
            mode, reserves, values=values, external=external)
        if mode in {'write', 'delete'}:
            raise ReserveValidationError(gettext(
                    'insurance_claims.msg_reserve_history_immutable'))
        if mode == 'create':
            for reserve in reserves:
                if reserve.claim.state in {'approved', 'closed', 'declined'}:
                    if (reserve.kind in {'release', 'reopen'}
                            or Transaction().context.get(
                                '_insurance_reserve_approved')):
                        continue
                    raise ReserveValidationError(gettext(
                            'insurance_claims.msg_reserve_needs_approval',
                            claim=reserve.claim.rec_name))

    @classmethod
    def on_modification(cls, mode, reserves, field_names=None):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Configuration = pool.get('insurance.configuration')
        super().on_modification(mode, reserves, field_names=field_names)
        if mode != 'create':
            return
        claims = Claim.browse({r.claim.id for r in reserves})
        Claim.sync_deadlines(claims)
        threshold = Configuration(1).xl_reinsurance_threshold
        if threshold is not None:
            Claim.notify_reinsurance(
                [r.claim for r in reserves
                    if r.amount >= threshold and r.claim.policy.xl_reinsurance
                    and r.kind != 'release'],
                'insurance_claims.msg_notify_xl')
