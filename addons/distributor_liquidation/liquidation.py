# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import functools

from sql import Literal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from .configuration import TASK_KINDS, field_string
from .exceptions import (
    AmountValidationError, DateValidationError, LiquidationDeleteError,
    LiquidationError, LiquidationStateError, RoutingError)
from .plan import default_distributor

OPEN_STATES = [
    'draft', 'registered', 'awaiting_payment', 'paid', 'insurance_cancelled',
    'invoice_requested', 'invoice_delivered']
WAIVER_STATES = [
    'awaiting_payment', 'paid', 'insurance_cancelled', 'invoice_requested',
    'invoice_delivered']


def refuse_wrong_state(state):
    "Refuse the records that can not go to state, instead of skipping them"
    def decorator(func):
        @functools.wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            allowed = {f for f, t in cls._transitions if t == state}
            cls.check_state(records, allowed, state)
            return func(cls, records, *args, **kwargs)
        return wrapper
    return decorator


class Liquidation(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'distributor.liquidation'
    _rec_name = 'folio'
    _history = True
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    folio = fields.Char(
        "Folio", readonly=True,
        help="The number that follows the request to its end.")
    request_date = fields.Date("Request Date", required=True, states=_states)
    requested_by = fields.Selection([
            ('distributor', "Dealer"),
            ('customer', "Customer"),
            ], "Requested By", required=True, states=_states)
    plan = fields.Many2One(
        'distributor.plan', "Plan", required=True, states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Bool(Eval('distributor')),
                ('distributor', '=', Eval('distributor', -1)),
                ()),
            ])
    group_code = fields.Function(
        fields.Char("Group"), 'get_plan_field', searcher='search_plan_field')
    member_code = fields.Function(
        fields.Char("Member"), 'get_plan_field', searcher='search_plan_field')
    distributor = fields.Many2One(
        'party.party', "Dealer", required=True, states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends=['company'])
    customer = fields.Many2One(
        'party.party', "Customer", required=True, states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends=['company'])
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_states)
    routing_department = fields.Many2One(
        'insurance.department', "Routing Department", readonly=True,
        help="Who the dealer must talk to first, from the arrears "
        "and the collection stage of the plan.")
    routing_contacts = fields.Function(fields.Many2Many(
            'insurance.department.contact', None, None, "Contacts"),
        'on_change_with_routing_contacts')
    quoted_amount = Monetary(
        "Quoted Amount", currency='currency', digits='currency',
        readonly=True,
        help="The balance of the plan without life insurance.")
    agreed_amount = Monetary(
        "Agreed Amount", currency='currency', digits='currency',
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            'required': Eval('state').in_(['awaiting_payment', 'paid']),
            },
        help="The amount the customer will deposit.")
    commitment_date = fields.Date(
        "Commitment Date",
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            'required': Eval('state') == 'awaiting_payment',
            },
        help="When the customer deposits; suggested at the next due date "
        "of the auto insurance instalment.")
    payment_received_on = fields.Date("Payment Received On", readonly=True)
    invoice = fields.Many2One('account.invoice', "Invoice", readonly=True)
    interest_waiver_amount = Monetary(
        "Interest Waiver", currency='currency', digits='currency',
        states={
            'readonly': (~Eval('state').in_(['draft', 'registered']
                    + WAIVER_STATES) | Bool(Eval('credit_note'))),
            },
        help="Interest forgiven to the customer, given as a credit note.")
    credit_note = fields.Many2One(
        'account.invoice', "Credit Note", readonly=True)
    documents = fields.One2Many(
        'distributor.liquidation.document', 'liquidation', "Documents",
        states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    tasks = fields.One2Many(
        'distributor.liquidation.task', 'liquidation', "Tasks",
        readonly=True)
    endorsements = fields.One2Many(
        'distributor.endorsement', 'liquidation', "Endorsements",
        states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    delivered_to = fields.Char(
        "Delivered To",
        states={
            'readonly': Eval('state') != 'invoice_requested',
            },
        help="The dealer's representative who received the invoice "
        "and warranties.")
    invoice_delivered_on = fields.Date("Invoice Delivered On", readonly=True)
    acknowledged_on = fields.Date(
        "Acknowledged On", readonly=True,
        help="When the dealer returned the signed acknowledgement.")
    cancel_reason = fields.Text(
        "Cancellation Reason",
        states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    notes = fields.Text("Notes")
    state = fields.Selection([
            ('draft', "Draft"),
            ('registered', "Registered"),
            ('awaiting_payment', "Awaiting Payment"),
            ('paid', "Paid"),
            ('insurance_cancelled', "Insurance Cancelled"),
            ('invoice_requested', "Invoice Requested"),
            ('invoice_delivered', "Invoice Delivered"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('folio_unique', Unique(t, t.company, t.folio),
                'distributor_liquidation.msg_liquidation_folio_unique'),
            ]
        cls._order = [
            ('request_date', 'DESC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'registered'),
            ('registered', 'awaiting_payment'),
            ('awaiting_payment', 'paid'),
            ('paid', 'insurance_cancelled'),
            ('insurance_cancelled', 'invoice_requested'),
            ('invoice_requested', 'invoice_delivered'),
            ('invoice_delivered', 'done'),
            } | {(s, 'cancelled') for s in OPEN_STATES}
        cls._buttons.update({
                'register': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'request_payment': {
                    'invisible': Eval('state') != 'registered',
                    'depends': ['state'],
                    },
                'cancel_insurance': {
                    'invisible': Eval('state') != 'paid',
                    'depends': ['state'],
                    },
                'request_invoice': {
                    'invisible': Eval('state') != 'insurance_cancelled',
                    'depends': ['state'],
                    },
                'deliver_invoice': {
                    'invisible': Eval('state') != 'invoice_requested',
                    'depends': ['state'],
                    },
                'done': {
                    'invisible': Eval('state') != 'invoice_delivered',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(OPEN_STATES),
                    'depends': ['state'],
                    },
                'waive_interest': {
                    'invisible': (~Eval('state').in_(WAIVER_STATES)
                        | Bool(Eval('credit_note'))
                        | ~Eval('interest_waiver_amount')),
                    'depends': [
                        'state', 'credit_note', 'interest_waiver_amount'],
                    },
                })

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

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_requested_by():
        return 'distributor'

    @classmethod
    def default_request_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_distributor(cls):
        return default_distributor()

    @fields.depends('plan', '_parent_plan.customer',
        '_parent_plan.distributor', '_parent_plan.currency',
        methods=['on_change_with_quoted_amount'])
    def on_change_plan(self):
        if self.plan:
            self.customer = self.plan.customer
            self.distributor = self.plan.distributor
            self.currency = self.plan.currency
            self.quoted_amount = self.on_change_with_quoted_amount()
            self.commitment_date = self.plan.next_insurance_due_date()
            try:
                self.routing_department = self.plan.routing_department_for()
            except RoutingError:
                self.routing_department = None

    @fields.depends('plan', 'quoted_amount')
    def on_change_with_quoted_amount(self):
        if self.plan:
            return self.plan.liquidation_amount()
        return self.quoted_amount

    @fields.depends('routing_department')
    def on_change_with_routing_contacts(self, name=None):
        if self.routing_department:
            return [c.id for c in self.routing_department.contacts_for()]
        return []

    def get_plan_field(self, name):
        return getattr(self.plan, name)

    @classmethod
    def search_plan_field(cls, name, clause):
        return [('plan.' + clause[0],) + tuple(clause[1:])]

    def get_rec_name(self, name):
        if self.folio:
            return self.folio
        return '(%s) %s' % (self.id, self.plan.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause[:3]
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('folio', operator, value),
            ('plan.rec_name', operator, value),
            ]

    @classmethod
    def check_state(cls, liquidations, allowed, target):
        states = dict(cls.fields_get(['state'])['state']['selection'])
        for liquidation in liquidations:
            if liquidation.state not in allowed:
                raise LiquidationStateError(gettext(
                        'distributor_liquidation.msg_liquidation_wrong_state',
                        liquidation=liquidation.rec_name,
                        state=states[liquidation.state],
                        target=states.get(target) or field_string(cls, target),
                        allowed=', '.join(
                            '"%s"' % states[s] for s in sorted(allowed))))

    @classmethod
    def validate_fields(cls, liquidations, field_names):
        super().validate_fields(liquidations, field_names)
        cls.check_amounts(liquidations, field_names)
        cls.check_dates(liquidations, field_names)

    @classmethod
    def check_amounts(cls, liquidations, field_names=None):
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        names = ['agreed_amount', 'interest_waiver_amount']
        if field_names:
            names = [n for n in names if n in field_names]
        for liquidation in liquidations:
            for name in names:
                value = getattr(liquidation, name)
                if value is not None and value <= 0:
                    raise AmountValidationError(gettext(
                            'distributor_liquidation.msg_amount_positive',
                            field=field_string(cls, name),
                            record=liquidation.rec_name))
        Configuration(1).check_maximum_amounts(liquidations, names)

    @classmethod
    def check_dates(cls, liquidations, field_names=None):
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        Date = pool.get('ir.date')
        if field_names and not (field_names & {
                    'request_date', 'commitment_date',
                    'payment_received_on'}):
            return
        today = Date.today()
        horizon = Configuration(1).commitment_horizon_days
        for liquidation in liquidations:
            if liquidation.request_date and liquidation.request_date > today:
                raise DateValidationError(gettext(
                        'distributor_liquidation.msg_date_future',
                        field=field_string(cls, 'request_date'),
                        record=liquidation.rec_name))
            if (liquidation.commitment_date and liquidation.request_date
                    and horizon is not None
                    and (liquidation.commitment_date
                        - liquidation.request_date).days > horizon):
                raise DateValidationError(gettext(
                        'distributor_liquidation.msg_date_horizon',
                        field=field_string(cls, 'commitment_date'),
                        other=field_string(cls, 'request_date'),
                        days=horizon, record=liquidation.rec_name))
            if (liquidation.commitment_date and liquidation.request_date
                    and liquidation.commitment_date
                    < liquidation.request_date):
                raise DateValidationError(gettext(
                        'distributor_liquidation.msg_date_before',
                        field=field_string(cls, 'commitment_date'),
                        other=field_string(cls, 'request_date'),
                        record=liquidation.rec_name))
            if (liquidation.payment_received_on
                    and liquidation.payment_received_on > today):
                raise DateValidationError(gettext(
                        'distributor_liquidation.msg_date_future',
                        field=field_string(cls, 'payment_received_on'),
                        record=liquidation.rec_name))

    @classmethod
    def check_modification(
            cls, mode, liquidations, values=None, external=False):
        super().check_modification(
            mode, liquidations, values=values, external=external)
        if mode == 'delete':
            for liquidation in liquidations:
                if liquidation.folio or liquidation.state != 'draft':
                    raise LiquidationDeleteError(gettext(
                            'distributor_liquidation'
                            '.msg_liquidation_delete_folio',
                            liquidation=liquidation.rec_name))

    @classmethod
    def copy(cls, liquidations, default=None):
        default = default.copy() if default is not None else {}
        for name in ['folio', 'routing_department', 'payment_received_on',
                'invoice', 'credit_note', 'tasks', 'endorsements',
                'delivered_to', 'invoice_delivered_on', 'acknowledged_on',
                'cancel_reason']:
            default.setdefault(name, None)
        default.setdefault('request_date', cls.default_request_date())
        return super().copy(liquidations, default=default)

    @classmethod
    def set_folio(cls, liquidations):
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        config = Configuration(1)
        to_number = [l for l in liquidations if not l.folio]
        if not to_number:
            return
        for liquidation, folio in zip(to_number,
                config.liquidation_sequence.get_many(len(to_number))):
            liquidation.folio = folio
        cls.save(to_number)

    def get_documents(self):
        "Return the documents the request needs, as unsaved records"
        pool = Pool()
        Document = pool.get('distributor.liquidation.document')
        kinds = ['cancellation_form', 'official_id']
        if self.plan.plan_type == 'platinum':
            kinds.append('platinum_circular')
        existing = {d.kind for d in self.documents}
        return [Document(liquidation=self, kind=k, mandatory=True)
            for k in kinds if k not in existing]

    @classmethod
    @ModelView.button
    @refuse_wrong_state('registered')
    @Workflow.transition('registered')
    def register(cls, liquidations):
        pool = Pool()
        Document = pool.get('distributor.liquidation.document')
        documents = []
        for liquidation in liquidations:
            plan = liquidation.plan
            liquidation.routing_department = plan.routing_department_for()
            liquidation.quoted_amount = plan.liquidation_amount()
            if not liquidation.commitment_date:
                liquidation.commitment_date = plan.next_insurance_due_date()
            documents.extend(liquidation.get_documents())
        cls.save(liquidations)
        Document.save(documents)
        cls.set_folio(liquidations)

    def _get_invoice(self, amount, account, description):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        address = self.customer.address_get(type='invoice')
        if not address:
            raise LiquidationError(gettext(
                    'distributor_liquidation.msg_customer_address_missing',
                    customer=self.customer.rec_name,
                    liquidation=self.rec_name))
        invoice = Invoice(
            company=self.company, type='out', party=self.customer,
            invoice_address=address, currency=self.currency,
            account=self.customer.account_receivable_used,
            description=description)
        invoice.set_journal()
        invoice.lines = [Line(
                type='line', company=self.company, currency=self.currency,
                invoice_type='out', party=self.customer,
                quantity=1 if amount >= 0 else -1, unit_price=abs(amount),
                account=account, description=description, origin=self)]
        return invoice

    @classmethod
    @ModelView.button
    @refuse_wrong_state('awaiting_payment')
    @Workflow.transition('awaiting_payment')
    def request_payment(cls, liquidations):
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        Invoice = pool.get('account.invoice')
        account = Configuration(1).get_liquidation_account()
        for liquidation in liquidations:
            for name in ['agreed_amount', 'commitment_date']:
                if not getattr(liquidation, name):
                    raise LiquidationError(gettext(
                            'distributor_liquidation.msg_liquidation_missing',
                            field=field_string(cls, name),
                            liquidation=liquidation.rec_name))
        invoices = []
        with without_check_access():
            for liquidation in liquidations:
                if liquidation.invoice:
                    continue
                liquidation.invoice = liquidation._get_invoice(
                    liquidation.agreed_amount, account,
                    gettext('distributor_liquidation.msg_invoice_description',
                        folio=liquidation.folio,
                        plan=liquidation.plan.rec_name))
                invoices.append(liquidation.invoice)
            Invoice.save(invoices)
            cls.save(liquidations)
            Invoice.post(invoices)

    @classmethod
    def process_invoices(cls, invoices):
        "Move to paid the requests waiting for the payment of invoices"
        with without_check_access():
            liquidations = cls.search([
                    ('invoice', 'in', [i.id for i in invoices]),
                    ('state', '=', 'awaiting_payment'),
                    ])
            if liquidations:
                cls.lock(liquidations)
                cls.pay(liquidations)

    @classmethod
    @Workflow.transition('paid')
    def pay(cls, liquidations):
        pool = Pool()
        Task = pool.get('distributor.liquidation.task')
        tasks = []
        for liquidation in liquidations:
            liquidation.payment_received_on = liquidation.get_payment_date()
            kinds = [
                'plan_liquidation', 'insurance_cancellation',
                'invoice_delivery']
            if liquidation.interest_waiver_amount:
                kinds.append('interest_waiver')
            tasks.extend(liquidation.get_tasks(kinds))
        cls.save(liquidations)
        Task.save(tasks)

    def get_payment_date(self):
        "Return when the customer paid the invoice"
        pool = Pool()
        Date = pool.get('ir.date')
        dates = []
        if self.invoice:
            dates = [l.reconciliation.date for l in self.invoice.lines_to_pay
                if l.reconciliation]
            dates += [l.date for l in self.invoice.payment_lines]
        with Transaction().set_context(company=self.company.id):
            today = Date.today()
        return min(max(dates), today) if dates else today

    def get_tasks(self, kinds):
        "Return the unsaved tasks of kinds counted from the payment date"
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        Task = pool.get('distributor.liquidation.task')
        config = Configuration(1)
        existing = {t.kind for t in self.tasks}
        start = self.payment_received_on
        return [Task(
                liquidation=self, kind=k, state='pending',
                due=config.response_due_date(k, start, self.company))
            for k in kinds if k not in existing]

    @classmethod
    @ModelView.button
    @refuse_wrong_state('insurance_cancelled')
    @Workflow.transition('insurance_cancelled')
    def cancel_insurance(cls, liquidations):
        pool = Pool()
        Task = pool.get('distributor.liquidation.task')
        for liquidation in liquidations:
            missing = [d for d in liquidation.documents
                if d.mandatory and not d.received_on]
            if missing:
                raise LiquidationError(gettext(
                        'distributor_liquidation.msg_documents_missing',
                        liquidation=liquidation.rec_name,
                        documents=', '.join(d.rec_name for d in missing)))
        Task.complete_kinds(
            liquidations, ['plan_liquidation', 'insurance_cancellation'])

    @classmethod
    @ModelView.button
    @refuse_wrong_state('invoice_requested')
    @Workflow.transition('invoice_requested')
    def request_invoice(cls, liquidations):
        pass

    @classmethod
    @ModelView.button
    @refuse_wrong_state('invoice_delivered')
    @Workflow.transition('invoice_delivered')
    def deliver_invoice(cls, liquidations):
        pool = Pool()
        Date = pool.get('ir.date')
        Task = pool.get('distributor.liquidation.task')
        for liquidation in liquidations:
            if not liquidation.delivered_to:
                raise LiquidationError(gettext(
                        'distributor_liquidation.msg_liquidation_missing',
                        field=field_string(cls, 'delivered_to'),
                        liquidation=liquidation.rec_name))
        cls.write(liquidations, {'invoice_delivered_on': Date.today()})
        Task.complete_kinds(liquidations, ['invoice_delivery'])

    @classmethod
    @ModelView.button
    @refuse_wrong_state('done')
    @Workflow.transition('done')
    def done(cls, liquidations):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write(liquidations, {'acknowledged_on': Date.today()})

    @classmethod
    @ModelView.button
    @refuse_wrong_state('cancelled')
    @Workflow.transition('cancelled')
    def cancel(cls, liquidations):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        for liquidation in liquidations:
            if not (liquidation.cancel_reason or '').strip():
                raise LiquidationError(gettext(
                        'distributor_liquidation.msg_liquidation_missing',
                        field=field_string(cls, 'cancel_reason'),
                        liquidation=liquidation.rec_name))
        with without_check_access():
            Invoice.cancel([l.invoice for l in liquidations
                    if l.invoice and l.invoice.state in {
                        'draft', 'validated'}])

    @classmethod
    @ModelView.button
    def waive_interest(cls, liquidations):
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        Invoice = pool.get('account.invoice')
        Task = pool.get('distributor.liquidation.task')
        cls.check_state(
            liquidations, WAIVER_STATES, 'interest_waiver_amount')
        config = Configuration(1)
        account = (config.interest_waiver_account
            or config.get_liquidation_account())
        to_waive = []
        for liquidation in liquidations:
            if liquidation.credit_note:
                continue
            if not liquidation.interest_waiver_amount:
                raise LiquidationError(gettext(
                        'distributor_liquidation.msg_liquidation_missing',
                        field=field_string(cls, 'interest_waiver_amount'),
                        liquidation=liquidation.rec_name))
            to_waive.append(liquidation)
        if not to_waive:
            return
        cls.lock(to_waive)
        with without_check_access():
            credit_notes = []
            for liquidation in to_waive:
                liquidation.credit_note = liquidation._get_invoice(
                    -liquidation.interest_waiver_amount, account,
                    gettext('distributor_liquidation.msg_waiver_description',
                        folio=liquidation.folio,
                        plan=liquidation.plan.rec_name))
                credit_notes.append(liquidation.credit_note)
            Invoice.save(credit_notes)
            cls.save(to_waive)
            Invoice.post(credit_notes)
        tasks = []
        for liquidation in to_waive:
            if liquidation.payment_received_on:
                tasks.extend(liquidation.get_tasks(['interest_waiver']))
        Task.save(tasks)
        Task.complete_kinds(to_waive, ['interest_waiver'])


class Document(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'distributor.liquidation.document'
    liquidation = fields.Many2One(
        'distributor.liquidation', "Request", required=True,
        ondelete='CASCADE')
    kind = fields.Selection([
            ('cancellation_form', "Insurance Cancellation Form"),
            ('official_id', "Official ID"),
            ('platinum_circular', "Platinum Plan Requirements (Circular)"),
            ('other', "Other"),
            ], "Kind", required=True)
    kind_string = kind.translated('kind')
    description = fields.Char("Description")
    mandatory = fields.Boolean("Mandatory")
    received_on = fields.Date(
        "Received On",
        help="When the document arrived (by e-mail or on paper).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('liquidation')

    @staticmethod
    def default_kind():
        return 'other'

    def get_rec_name(self, name):
        if self.description:
            return '%s: %s' % (self.kind_string, self.description)
        return self.kind_string

    @classmethod
    def validate_fields(cls, documents, field_names):
        pool = Pool()
        Date = pool.get('ir.date')
        super().validate_fields(documents, field_names)
        today = Date.today()
        for document in documents:
            if document.received_on and document.received_on > today:
                raise DateValidationError(gettext(
                        'distributor_liquidation.msg_date_future',
                        field=field_string(cls, 'received_on'),
                        record=document.rec_name))


class Task(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'distributor.liquidation.task'
    liquidation = fields.Many2One(
        'distributor.liquidation', "Request", required=True,
        ondelete='CASCADE')
    kind = fields.Selection(TASK_KINDS, "Kind", required=True, readonly=True)
    due = fields.Date("Due", required=True, readonly=True)
    done_on = fields.Date("Done On", readonly=True)
    state = fields.Selection([
            ('pending', "Pending"),
            ('done', "Done"),
            ('overdue', "Overdue"),
            ], "State", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('liquidation')
        cls._order = [('due', 'ASC'), ('id', 'ASC')]
        cls._buttons.update({
                'complete': {
                    'invisible': Eval('state') == 'done',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'pending'

    def get_rec_name(self, name):
        return '%s: %s' % (
            self.liquidation.rec_name,
            dict(self.fields_get(['kind'])['kind']['selection'])[self.kind])

    @classmethod
    @ModelView.button
    def complete(cls, tasks):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write([t for t in tasks if t.state != 'done'], {
                'state': 'done',
                'done_on': Date.today(),
                })

    @classmethod
    def complete_kinds(cls, liquidations, kinds):
        cls.complete(cls.search([
                    ('liquidation', 'in', [l.id for l in liquidations]),
                    ('kind', 'in', kinds),
                    ('state', '!=', 'done'),
                    ]))

    @classmethod
    def flag_overdue(cls):
        "Flag as overdue the pending tasks past their due date"
        pool = Pool()
        Date = pool.get('ir.date')
        Liquidation = pool.get('distributor.liquidation')
        task = cls.__table__()
        liquidation = Liquidation.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute(*task.update(
                [task.state], [Literal('overdue')],
                where=(task.state == 'pending')
                & (task.due < Date.today())
                & task.liquidation.in_(liquidation.select(
                        liquidation.id,
                        where=liquidation.state != 'cancelled'))))
        # The rows changed behind the ORM: drop what it cached of them
        transaction.counter += 1
        for cache in transaction.cache.values():
            cache.pop(cls.__name__, None)
