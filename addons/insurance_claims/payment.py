# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Payment orders to accounting [003 §4.3, §4.2.4.f, §4.2.6, 002]"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .account import InvoicedMixin
from .common import now, transition
from .exceptions import PaymentError, SettlementError
from .work_order import approval_model

KINDS = [
    ('advance', "Advance"),
    ('final', "Final"),
    ('expense', "Expense"),
    ('extraordinary', "Extraordinary Expense"),
    ('commercial', "Commercial Payment"),
    ]
INDEMNITY_KINDS = {'advance', 'final'}
# kinds approved by a round of their own [003 §4.2.4.b, §4.2.6]
OWN_ROUND_KINDS = {
    'extraordinary': 'extraordinary_expense',
    'commercial': 'commercial',
    }
# scenarios of own damage and total loss paid to a preferred beneficiary
BENEFICIARY_SCENARIOS = {'partial', 'total_loss_accident', 'total_loss_theft'}
_DRAFT = {'readonly': Eval('state') != 'draft'}


class Payment(
        ServerReadonlyMixin, InvoicedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'insurance.claim.payment'
    _rec_name = 'number'
    _history = True
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_DRAFT)
    number = fields.Char("Number", readonly=True)
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, states=_DRAFT,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft',
                ('state', 'not in', ['draft', 'cancelled', 'closed']),
                ()),
            ])
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False,
        states=_DRAFT)
    payee = fields.Many2One('party.party', "Payee", required=True,
        states=_DRAFT)
    description = fields.Char("Description", states=_DRAFT)
    coverage = fields.Many2One(
        'insurance.policy.coverage', "Coverage", states=_DRAFT,
        domain=[('id', 'in', Eval('claim_coverages', []))],
        help="The affected coverage the payment is charged to.")
    claim_coverages = fields.Function(fields.Many2Many(
            'insurance.policy.coverage', None, None, "Claim Coverages"),
        'on_change_with_claim_coverages')
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        states=_DRAFT)
    deductible_amount = fields.Numeric(
        "Deductible", digits=(16, 2), required=True, states=_DRAFT,
        help="Deductible discounted from this payment.")
    net_amount = fields.Function(fields.Numeric(
            "Net Amount", digits=(16, 2)), 'on_change_with_net_amount')
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount_approval_currency = fields.Numeric(
        "Amount in Approval Currency", digits=(16, 2), readonly=True)
    conformity_on = fields.Date(
        "Conformity on", states=_DRAFT,
        help="Date of the insured's written conformity with the amount.")
    medical_report_on = fields.Date(
        "Medical Report on", states=_DRAFT,
        help="For personal accident and injuries the medical report (or "
        "the medical auditor's validation) replaces the conformity.")
    planned_on = fields.Date(
        "Planned on", states={
            'readonly': Eval('state').in_(['paid', 'cancelled']),
            }, help="When the payment is planned.")
    round_approved = fields.Boolean("Own Round Approved", readonly=True,
        states={'invisible': ~Eval('kind').in_(list(OWN_ROUND_KINDS))})
    approved_by = fields.Many2One('res.user', "Approved by", readonly=True)
    approved_at = fields.DateTime("Approved at", readonly=True)
    cancel_reason = fields.Text("Cancellation Reason", states={
            'readonly': Eval('state').in_(['paid', 'cancelled']),
            })
    invoice = fields.Many2One('account.invoice', "Invoice", readonly=True)
    paid_amount = fields.Numeric(
        "Paid Amount", digits=(16, 2), readonly=True,
        help="The amount of the invoice when accounting settled it.")
    invoice_state = fields.Function(fields.Selection(
            'get_invoice_states', "Invoice State"), 'get_invoice_state')
    paid_on = fields.Date("Paid on", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('approved', "Approved"),
            ('invoiced', "Invoiced"),
            ('paid', "Paid"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.number),
                'insurance_claims.msg_payment_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.invoice, Index.Equality())),
                Index(t, (t.planned_on, Index.Range())),
                })
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'approved'),
            ('approved', 'invoiced'),
            ('invoiced', 'paid'),
            ('draft', 'cancelled'),
            }
        cls._buttons.update({
                'request_approval': {
                    'invisible': ((Eval('state') != 'draft')
                        | ~Eval('kind').in_(list(OWN_ROUND_KINDS))
                        | Eval('round_approved', False)),
                    'depends': ['state', 'kind', 'round_approved'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_kind():
        return 'final'

    @staticmethod
    def default_deductible_amount():
        return Decimal(0)

    @staticmethod
    def default_round_approved():
        return False

    @fields.depends('claim', '_parent_claim.currency')
    def on_change_with_currency(self, name=None):
        return self.claim.currency if self.claim else None

    @fields.depends('claim', '_parent_claim.coverages')
    def on_change_with_claim_coverages(self, name=None):
        return self.claim.coverages if self.claim else []

    @fields.depends('amount', 'deductible_amount')
    def on_change_with_net_amount(self, name=None):
        return (self.amount or Decimal(0)) - (
            self.deductible_amount or Decimal(0))

    @fields.depends('claim', 'kind', 'amount', 'payee')
    def on_change_claim(self):
        if self.claim and self.kind:
            payee = self.claim.payee_for(self.kind)
            if payee:
                self.payee = payee
            self.deductible_amount = self.claim.deductible_to_discount(
                'indemnity', self.amount, exclude=self) if (
                self.kind in INDEMNITY_KINDS) else Decimal(0)

    @fields.depends(methods=['on_change_claim'])
    def on_change_kind(self):
        self.on_change_claim()

    @fields.depends(methods=['on_change_claim'])
    def on_change_amount(self):
        self.on_change_claim()

    def get_rec_name(self, name):
        return self.number or '(%s)' % self.id

    @classmethod
    def search_rec_name(cls, name, clause):
        return ['OR',
            ('number',) + tuple(clause[1:]),
            ('claim.number',) + tuple(clause[1:]),
            ('payee.name',) + tuple(clause[1:]),
            ]

    @classmethod
    def validate_fields(cls, payments, field_names):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        super().validate_fields(payments, field_names)
        Configuration(1).check_maximum_amounts(
            payments, ['amount', 'deductible_amount'], field_names)
        for payment in payments:
            if payment.amount is not None and payment.amount <= 0:
                raise PaymentError(gettext(
                        'insurance_claims.msg_payment_amount_positive',
                        payment=payment.rec_name,
                        field=cls.__names__('amount')['field']))
            if (payment.deductible_amount or 0) < 0:
                raise PaymentError(gettext(
                        'insurance_claims.msg_payment_amount_positive',
                        payment=payment.rec_name,
                        field=cls.__names__(
                            'deductible_amount')['field']))
            if (payment.deductible_amount or 0) >= (payment.amount or 0):
                if payment.deductible_amount:
                    raise PaymentError(gettext(
                            'insurance_claims.msg_payment_deductible_amount',
                            payment=payment.rec_name,
                            field=cls.__names__('deductible_amount')['field'],
                            amount=cls.__names__('amount')['field']))
            today = now().date()
            for name in ['conformity_on', 'medical_report_on']:
                value = getattr(payment, name)
                if value and value > today:
                    raise PaymentError(gettext(
                            'insurance_claims.msg_payment_date_future',
                            payment=payment.rec_name,
                            field=cls.__names__(name)['field']))

    @classmethod
    def check_modification(cls, mode, payments, values=None, external=False):
        super().check_modification(
            mode, payments, values=values, external=external)
        if mode == 'delete':
            for payment in payments:
                if payment.number or payment.state != 'draft':
                    raise PaymentError(gettext(
                            'insurance_claims.msg_payment_delete',
                            payment=payment.rec_name))
        elif mode == 'write' and external:
            for payment in payments:
                if payment.state == 'paid':
                    raise PaymentError(gettext(
                            'insurance_claims.msg_payment_paid_immutable',
                            payment=payment.rec_name))

    @classmethod
    def copy(cls, payments, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'invoice', 'paid_on', 'paid_amount',
                'approved_by',
                'approved_at', 'cancel_reason', 'amount_approval_currency']:
            default.setdefault(name, None)
        default.setdefault('round_approved', False)
        return super().copy(payments, default=default)

    def compute_amount_approval_currency(self):
        "The amount in the approval currency at the claim's date"
        pool = Pool()
        Currency = pool.get('currency.currency')
        currency = self.claim.approval_currency()
        if not currency or currency == self.currency:
            return self.amount
        date = (self.claim.occurred_at or now()).date()
        with Transaction().set_context(date=date):
            rate_from = Currency.get_rate([self.currency], date)
            rate_to = Currency.get_rate([currency], date)
        if not rate_from.get(self.currency.id) or not rate_to.get(
                currency.id):
            raise PaymentError(gettext(
                    'insurance_claims.msg_payment_currency_rate',
                    payment=self.rec_name, currency=currency.rec_name,
                    date=date))
        with Transaction().set_context(date=date):
            return Currency.compute(self.currency, self.amount, currency)

    @classmethod
    def on_modification(cls, mode, payments, field_names=None):
        super().on_modification(mode, payments, field_names=field_names)
        if mode == 'delete':
            return
        if mode == 'create' or 'amount' in field_names:
            for payment in payments:
                cls.write([payment], {
                        'amount_approval_currency':
                            payment.compute_amount_approval_currency(),
                        })

    def payee_rule(self):
        "Return the payee the rules impose, None when free"
        if self.kind in INDEMNITY_KINDS:
            return self.claim.preferred_payee()

    def check_payee(self):
        payee = self.payee_rule()
        if payee and self.payee != payee:
            raise PaymentError(gettext(
                    'insurance_claims.msg_payment_preferred_beneficiary',
                    payment=self.rec_name, beneficiary=payee.rec_name,
                    claim=self.claim.rec_name))

    def check_conformity(self):
        "Without work orders the insured conforms in writing [§4.2.4.f]"
        if self.kind not in INDEMNITY_KINDS:
            return
        if any(o.state != 'cancelled' for o in self.claim.work_orders):
            return
        if self.claim.needs_medical_report():
            if not self.medical_report_on:
                raise PaymentError(gettext(
                        'insurance_claims.msg_payment_medical_report',
                        payment=self.rec_name))
        elif not self.conformity_on:
            raise PaymentError(gettext(
                    'insurance_claims.msg_payment_conformity',
                    payment=self.rec_name))

    def check_approval(self):
        """Raise unless the claim's approval covers the payment

        Extraordinary and commercial payments need their own round.
        """
        claim = self.claim
        if self.kind in OWN_ROUND_KINDS:
            if not self.round_approved:
                raise PaymentError(gettext(
                        'insurance_claims.msg_payment_own_round',
                        payment=self.rec_name))
            return
        if claim.state != 'approved':
            raise PaymentError(gettext(
                    'insurance_claims.msg_payment_claim_not_approved',
                    payment=self.rec_name, claim=claim.rec_name))
        claim.check_payment_conditions(self)

    @classmethod
    def set_number(cls, payments):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        config = Configuration(1)
        for payment in payments:
            if not payment.number:
                with Transaction().set_context(company=payment.company.id):
                    payment.number = config.payment_sequence.get()
        cls.save(payments)

    @classmethod
    @ModelView.button
    def request_approval(cls, payments):
        "Open the round of an extraordinary expense or commercial payment"
        Approval = approval_model()
        for payment in payments:
            if payment.state != 'draft' or payment.kind not in OWN_ROUND_KINDS:
                raise PaymentError(gettext(
                        'insurance_claims.msg_payment_no_round',
                        payment=payment.rec_name))
        cls.set_number(payments)
        if Approval is None:
            return
        for payment in payments:
            Approval.create_round(payment.claim,
                OWN_ROUND_KINDS[payment.kind],
                payment.amount, origin=payment)

    def approval_approved(self, round_):
        "Called by the approval engine when the payment's round is approved"
        self.__class__.write([self], {'round_approved': True})

    def approval_rejected(self, round_):
        self.__class__.write([self], {'round_approved': False})

    def approval_cancelled(self, round_):
        self.__class__.write([self], {'round_approved': False})

    @classmethod
    @ModelView.button
    def approve(cls, payments):
        """Approve within the claim's approval and hand exactly one supplier
        invoice to accounting; a second click is refused

        The claims are locked first: the approved amount is checked against
        the sum of their orders, which a concurrent approval would change.
        """
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Claim.lock(sorted({p.claim.id for p in payments}))
        cls.lock(payments)
        payments = cls.browse(payments)
        cancelled = [p for p in payments if p.state == 'cancelled']
        if cancelled:
            raise PaymentError(gettext(
                    'insurance_claims.msg_payment_cancelled',
                    payment=cancelled[0].rec_name))
        done = [p for p in payments if p.state in {'invoiced', 'paid'}]
        if done:
            # the loser of a double click or of two approvers at once
            raise PaymentError(gettext(
                    'insurance_claims.msg_payment_already_approved',
                    payment=done[0].rec_name,
                    user=done[0].approved_by.rec_name
                    if done[0].approved_by else '',
                    invoice=done[0].invoice.rec_name
                    if done[0].invoice else ''))
        to_approve = [p for p in payments if p.state == 'draft']
        for payment in to_approve:
            payment.check_payee()
            payment.check_conformity()
            payment.check_approval()
        if to_approve:
            cls.set_number(to_approve)
            cls._approve(to_approve)
        to_invoice = [p for p in payments if p.state == 'approved']
        cls.create_invoice(to_invoice)
        cls.invoiced(to_invoice)

    @classmethod
    @transition('approved')
    def _approve(cls, payments):
        cls.write(payments, {
                'approved_by': Transaction().user,
                'approved_at': now(),
                })

    @classmethod
    @ModelView.button
    @transition('cancelled')
    def cancel(cls, payments):
        pass

    def get_invoice_party(self):
        return self.payee

    def get_invoice_amount(self):
        return self.net_amount

    def get_invoice_description(self):
        return gettext('insurance_claims.msg_payment_invoice_description',
            payment=self.number or '', claim=self.claim.rec_name,
            policy=self.claim.policy.rec_name)


class Claim(metaclass=PoolMeta):
    "Settlement of the claim"
    __name__ = 'insurance.claim'
    work_orders = fields.One2Many(
        'insurance.work_order', 'claim', "Work Orders", readonly=True)
    payments = fields.One2Many(
        'insurance.claim.payment', 'claim', "Payment Orders", readonly=True)
    beneficiary_release_on = fields.Date(
        "Beneficiary Release Letter on",
        states={'readonly': Eval('state').in_(['closed', 'cancelled'])},
        help="Date of the preferred beneficiary's release letter on file; "
        "then indemnities go to the insured.")
    committed = fields.Function(fields.Numeric(
            "Committed", digits=(16, 2),
            help="Work orders and payment orders approved or pending."),
        'get_committed')
    closed_at = fields.DateTime("Closed at", readonly=True)
    archive_stage = fields.Function(fields.Selection([
                (None, ""),
                ('regional', "Regional Office"),
                ('passive', "Passive Archive"),
                ('destruction', "Destruction Review"),
                ], "Archive Stage"),
        'get_archive_stage', searcher='search_archive_stage')

    def approval_currency(self):
        "The currency of the approval thresholds"
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        Currency = pool.get('currency.currency')
        config = Configuration(1)
        if hasattr(config, 'get_approval_currency'):
            return config.get_approval_currency()
        currencies = Currency.search([('code', '=', 'USD')], limit=1)
        return currencies[0] if currencies else self.currency

    def payment_conditions(self):
        """Return what binds the payments: a dict with approved_amount,
        amount (payment amount condition), coverages and texts

        From the approval engine when installed, else the reserve of an
        approved claim.
        """
        if hasattr(self, 'approval_conditions'):
            return self.approval_conditions()
        return {
            'approved_amount': (self.reserve_amount
                if self.state == 'approved' else None),
            'amount': None, 'coverages': [], 'texts': [],
            }

    def check_payment_conditions(self, payment):
        "Raise when the payment breaks the approved amount or conditions"
        conditions = self.payment_conditions()
        committed = self.committed_amount(exclude=payment) + payment.amount
        for key in ['approved_amount', 'amount']:
            limit = conditions.get(key)
            if limit is not None and committed > limit:
                raise PaymentError(gettext(
                        'insurance_claims.msg_payment_over_approved',
                        payment=payment.rec_name, claim=self.rec_name,
                        approved=limit, committed=committed))
        if conditions.get('approved_amount') is None:
            raise PaymentError(gettext(
                    'insurance_claims.msg_payment_claim_not_approved',
                    payment=payment.rec_name, claim=self.rec_name))
        coverages = conditions.get('coverages') or []
        if coverages and payment.coverage not in coverages:
            raise PaymentError(gettext(
                    'insurance_claims.msg_payment_condition',
                    payment=payment.rec_name,
                    condition=', '.join(c.rec_name for c in coverages)))

    def committed_amount(self, exclude=None):
        "Gross amount of live work orders and payment orders of the claim"
        amount = Decimal(0)
        for order in self.work_orders:
            if order.state not in {'draft', 'cancelled'}:
                amount += order.total or 0
        for payment in self.payments:
            if (payment != exclude and payment.kind not in OWN_ROUND_KINDS
                    and payment.state not in {'draft', 'cancelled'}):
                amount += payment.amount
        return amount

    @classmethod
    def get_committed(cls, claims, name):
        return {c.id: c.committed_amount() for c in claims}

    def needs_medical_report(self):
        "Personal accident and injuries: medical report, no conformity"
        return self.scenario == 'death' or (
            self.line and self.line.code == 'PA')

    def preferred_payee(self):
        "The preferred beneficiary when it takes the indemnity [002]"
        beneficiary = self.policy.preferred_beneficiary
        if (beneficiary and self.scenario in BENEFICIARY_SCENARIOS
                and not self.beneficiary_release_on):
            return beneficiary

    def payee_for(self, kind):
        "Return who an order of the kind pays by default"
        if kind in INDEMNITY_KINDS:
            return self.preferred_payee() or self.insured
        return None

    @classmethod
    def update_paid_amount(cls, claims):
        "Store the paid amount: paid payment orders and work orders (net)"
        for claim in claims:
            paid = sum((o.paid_amount or 0
                    for o in claim.payments + claim.work_orders
                    if o.state == 'paid'), Decimal(0))
            if claim.paid_amount != paid:
                claim.paid_amount = paid
        cls.save(claims)

    @classmethod
    def _check_close(cls, claims):
        super()._check_close(claims)
        for claim in claims:
            pending = [o for o in claim.work_orders + claim.payments
                if o.state not in {'paid', 'cancelled'}]
            if pending:
                raise SettlementError(gettext(
                        'insurance_claims.msg_claim_close_pending',
                        claim=claim.rec_name,
                        orders=', '.join(o.rec_name for o in pending)))

    @classmethod
    @ModelView.button
    def close(cls, claims):
        super().close(claims)
        cls.write(claims, {'closed_at': now()})

    @classmethod
    @ModelView.button
    def reopen(cls, claims):
        super().reopen(claims)
        cls.write(claims, {'closed_at': None})

    @classmethod
    def copy(cls, claims, default=None):
        default = default.copy() if default is not None else {}
        for name in ['work_orders', 'payments', 'closed_at',
                'beneficiary_release_on']:
            default.setdefault(name, None)
        return super().copy(claims, default=default)

    @classmethod
    def _archive_limits(cls):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        config = Configuration(1)
        today = now()

        def years_ago(years):
            try:
                return today.replace(year=today.year - years)
            except ValueError:
                return today.replace(year=today.year - years, day=28)
        return (years_ago(config.archive_regional_years),
            years_ago(config.archive_destruction_years))

    @classmethod
    def get_archive_stage(cls, claims, name):
        regional, destruction = cls._archive_limits()
        result = {}
        for claim in claims:
            stage = None
            if claim.state == 'closed' and claim.closed_at:
                if claim.closed_at < destruction:
                    stage = 'destruction'
                elif claim.closed_at < regional:
                    stage = 'passive'
                else:
                    stage = 'regional'
            result[claim.id] = stage
        return result

    @classmethod
    def search_archive_stage(cls, name, clause):
        regional, destruction = cls._archive_limits()
        _, operator, value = clause[:3]
        domains = {
            'regional': [('closed_at', '>=', regional)],
            'passive': [('closed_at', '<', regional),
                ('closed_at', '>=', destruction)],
            'destruction': [('closed_at', '<', destruction)],
            }
        if operator == 'in':
            values = value
        elif operator == '=':
            values = [value]
        else:
            raise NotImplementedError
        return ['AND', ('state', '=', 'closed'), ('closed_at', '!=', None),
            ['OR'] + [domains[v] for v in values if v in domains]]
