# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Recoveries: subrogation, salvage and bonds [003 §4.2.5]"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .account import InvoicedMixin
from .common import now, transition
from .exceptions import RecoveryError

_DRAFT = {'readonly': Eval('state') != 'draft'}


class Recovery(
        ServerReadonlyMixin, InvoicedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'insurance.claim.recovery'
    _invoice_type = 'out'
    _invoice_account = 'recovery_account'
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_DRAFT)
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, states=_DRAFT,
        domain=[('company', '=', Eval('company', -1))])
    kind = fields.Selection([
            ('subrogation_conciliation', "Subrogation (Conciliatory)"),
            ('subrogation_judicial', "Subrogation (Judicial)"),
            ('salvage', "Salvage"),
            ('bond', "Bond"),
            ], "Kind", required=True, sort=False, states=_DRAFT)
    counterparty = fields.Many2One(
        'party.party', "Counterparty", required=True, states={
            'readonly': ~Eval('state').in_(['draft', 'in_progress']),
            }, help="The liable third party, the buyer of the salvage or "
        "the bond's principal.")
    description = fields.Text("Description")
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    expected_amount = fields.Numeric(
        "Expected Amount", digits=(16, 2), required=True, states={
            'readonly': ~Eval('state').in_(['draft', 'in_progress']),
            })
    recovered_amount = fields.Numeric(
        "Recovered Amount", digits=(16, 2), states={
            'readonly': Eval('state') != 'in_progress',
            })
    recovered_on = fields.Date("Recovered on", readonly=True)
    invoice = fields.Many2One('account.invoice', "Invoice", readonly=True)
    paid_amount = fields.Numeric(
        "Paid Amount", digits=(16, 2), readonly=True,
        help="The amount of the invoice when accounting settled it.")
    paid_on = fields.Date("Collected on", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('in_progress', "In Progress"),
            ('invoiced', "Invoiced"),
            ('paid', "Collected"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        cls._transitions |= {
            ('draft', 'in_progress'),
            ('in_progress', 'invoiced'),
            ('invoiced', 'paid'),
            ('draft', 'cancelled'),
            ('in_progress', 'cancelled'),
            }
        cls._buttons.update({
                'start': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'recover': {
                    'invisible': Eval('state') != 'in_progress',
                    'readonly': ~Eval('recovered_amount'),
                    'depends': ['state', 'recovered_amount'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'in_progress']),
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @fields.depends('claim', '_parent_claim.currency')
    def on_change_with_currency(self, name=None):
        return self.claim.currency if self.claim else None

    def get_rec_name(self, name):
        return '%s - %s' % (self.claim.rec_name,
            self.counterparty.rec_name if self.counterparty else '')

    @classmethod
    def validate_fields(cls, recoveries, field_names):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        super().validate_fields(recoveries, field_names)
        Configuration(1).check_maximum_amounts(
            recoveries, ['expected_amount', 'recovered_amount'], field_names)
        for recovery in recoveries:
            for name in ['expected_amount', 'recovered_amount']:
                value = getattr(recovery, name)
                if value is not None and value <= 0:
                    raise RecoveryError(gettext(
                            'insurance_claims.msg_recovery_amount_positive',
                            recovery=recovery.rec_name,
                            field=cls.__names__(name)['field']))

    @classmethod
    def check_modification(cls, mode, recoveries, values=None,
            external=False):
        super().check_modification(
            mode, recoveries, values=values, external=external)
        if mode == 'delete':
            for recovery in recoveries:
                if recovery.state != 'draft':
                    raise RecoveryError(gettext(
                            'insurance_claims.msg_recovery_delete',
                            recovery=recovery.rec_name))

    @classmethod
    @ModelView.button
    @transition('in_progress')
    def start(cls, recoveries):
        pass

    @classmethod
    @ModelView.button
    def recover(cls, recoveries):
        "Record the recovered amount and invoice the counterparty"
        cls.lock(recoveries)
        recoveries = [r for r in cls.browse(recoveries)
            if r.state not in {'invoiced', 'paid'}]
        for recovery in recoveries:
            if not recovery.recovered_amount:
                raise RecoveryError(gettext(
                        'insurance_claims.msg_recovery_amount_missing',
                        recovery=recovery.rec_name))
            recovery.recovered_on = now().date()
        cls.save(recoveries)
        cls.create_invoice(recoveries)
        cls.invoiced(recoveries)

    @classmethod
    @transition('paid')
    def pay(cls, recoveries):
        pass

    @classmethod
    @ModelView.button
    @transition('cancelled')
    def cancel(cls, recoveries):
        pass

    def get_invoice_party(self):
        return self.counterparty

    def get_invoice_amount(self):
        return self.recovered_amount

    def get_invoice_description(self):
        pool = Pool()
        Recovery = pool.get('insurance.claim.recovery')
        kind = dict(Recovery.fields_get(['kind'])['kind']['selection'])
        return gettext('insurance_claims.msg_recovery_invoice_description',
            kind=kind.get(self.kind, self.kind), claim=self.claim.rec_name)


class Claim(metaclass=PoolMeta):
    __name__ = 'insurance.claim'
    recoveries = fields.One2Many(
        'insurance.claim.recovery', 'claim', "Recoveries", readonly=True)
    recovered_amount = fields.Function(fields.Numeric(
            "Recovered", digits=(16, 2),
            help="Recovered amounts invoiced to the counterparties."),
        'get_recovered_amount')

    @classmethod
    def get_recovered_amount(cls, claims, name):
        return {c.id: sum((r.recovered_amount for r in c.recoveries
                    if r.state in {'invoiced', 'paid'}), Decimal(0))
            for c in claims}

    @classmethod
    def copy(cls, claims, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('recoveries', None)
        return super().copy(claims, default=default)
