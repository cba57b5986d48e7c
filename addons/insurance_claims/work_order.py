# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Work and purchase orders [003 §4.2.4.e-f, 002]"""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.company import CompanyReport
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .account import InvoicedMixin
from .common import notify, now, transition
from .exceptions import WorkOrderError

STATES = [
    ('draft', "Draft"),
    ('to_sign', "Awaiting Signatures"),
    ('signed', "Signed"),
    ('accepted', "Accepted"),
    ('invoiced', "Invoiced"),
    ('paid', "Paid"),
    ('cancelled', "Cancelled"),
    ]
_DRAFT = {'readonly': Eval('state') != 'draft'}


def approval_model():
    "The approval rounds model, None until the approval engine is installed"
    try:
        return Pool().get('insurance.claim.approval')
    except KeyError:
        return None


class WorkOrder(
        ServerReadonlyMixin, InvoicedMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'insurance.work_order'
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
                ('state', 'in', ['open', 'approval', 'approved']),
                ()),
            ])
    kind = fields.Selection([
            ('repair', "Repair"),
            ('purchase', "Purchase"),
            ], "Kind", required=True, states=_DRAFT,
        help="Repair (labour) and purchase (parts) are never mixed in one "
        "order.")
    supplier = fields.Many2One(
        'party.party', "Supplier", required=True, states=_DRAFT,
        help="The workshop or vendor.")
    lines = fields.One2Many(
        'insurance.work_order.line', 'order', "Lines", states=_DRAFT)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    total = fields.Function(fields.Numeric(
            "Total", digits=(16, 2)), 'on_change_with_total')
    deductible_discount = fields.Numeric(
        "Deductible Discount", digits=(16, 2), states=_DRAFT,
        help="Part of the claim's deductible discounted from this order.")
    net_amount = fields.Function(fields.Numeric(
            "Net Amount", digits=(16, 2)), 'on_change_with_net_amount')
    issued_on = fields.Date("Issued on", required=True, states=_DRAFT)
    valid_until = fields.Function(fields.Date(
            "Valid until",
            help="Admission order validity (calendar days)."),
        'on_change_with_valid_until')
    vehicle_entry_at = fields.DateTime(
        "Vehicle Entry at", states={
            'readonly': Eval('state').in_(['invoiced', 'paid', 'cancelled']),
            })
    valuation_due = fields.Function(fields.DateTime(
            "Valuation Due", help="Vehicle entry + business hours."),
        'get_valuation_due')
    valued_at = fields.DateTime(
        "Valued at", states={
            'readonly': Eval('state').in_(['invoiced', 'paid', 'cancelled']),
            })
    accepted_by = fields.Selection([
            (None, ""),
            ('insured', "Insured"),
            ('third_party', "Affected Third Party"),
            ('workshop', "Workshop"),
            ], "Conformity by", states={
            'readonly': Eval('state') != 'signed',
            }, help="Who signed the order in conformity.")
    accepted_on = fields.Date("Conformity on", states={
            'readonly': Eval('state') != 'signed',
            })
    cancel_reason = fields.Text("Cancellation Reason", states={
            'readonly': Eval('state').in_(['invoiced', 'paid', 'cancelled']),
            })
    cancelled_by = fields.Many2One('res.user', "Cancelled by", readonly=True)
    invoice = fields.Many2One('account.invoice', "Invoice", readonly=True)
    paid_amount = fields.Numeric(
        "Paid Amount", digits=(16, 2), readonly=True,
        help="The amount of the invoice when accounting settled it.")
    invoice_state = fields.Function(fields.Selection(
            'get_invoice_states', "Invoice State"), 'get_invoice_state')
    paid_on = fields.Date("Paid on", readonly=True)
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.number),
                'insurance_claims.msg_work_order_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.invoice, Index.Equality())),
                })
        cls._order = [('issued_on', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'to_sign'),
            ('to_sign', 'signed'),
            ('to_sign', 'draft'),
            ('signed', 'accepted'),
            ('accepted', 'invoiced'),
            ('invoiced', 'paid'),
            ('draft', 'cancelled'),
            ('to_sign', 'cancelled'),
            ('signed', 'cancelled'),
            }
        cls._buttons.update({
                'request_signature': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'accept': {
                    'invisible': Eval('state') != 'signed',
                    'readonly': ~Eval('accepted_by') | ~Eval('accepted_on'),
                    'depends': ['state', 'accepted_by', 'accepted_on'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'to_sign', 'signed']),
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
        return 'repair'

    @classmethod
    def default_issued_on(cls):
        return now().date()

    @staticmethod
    def default_deductible_discount():
        return Decimal(0)

    @fields.depends('claim', '_parent_claim.currency')
    def on_change_with_currency(self, name=None):
        return self.claim.currency if self.claim else None

    @fields.depends('lines', 'currency')
    def on_change_with_total(self, name=None):
        total = sum(((l.quantity or 0) * (l.unit_price or 0)
                for l in self.lines or []), Decimal(0))
        return self.currency.round(total) if self.currency else total

    @fields.depends('deductible_discount', methods=['on_change_with_total'])
    def on_change_with_net_amount(self, name=None):
        return (self.on_change_with_total()
            - (self.deductible_discount or Decimal(0)))

    @fields.depends('claim', 'lines', 'currency', 'deductible_discount',
        methods=['on_change_with_total'])
    def on_change_lines(self):
        if self.claim:
            self.deductible_discount = self.claim.deductible_to_discount(
                'work_orders', self.on_change_with_total(), exclude=self)

    @fields.depends('issued_on')
    def on_change_with_valid_until(self, name=None):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        if self.issued_on:
            return self.issued_on + dt.timedelta(
                days=Configuration(1).admission_order_days)

    def get_valuation_due(self, name):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        if self.vehicle_entry_at:
            config = Configuration(1)
            with Transaction().set_context(company=self.company.id):
                return config.add_business_hours(
                    self.vehicle_entry_at, config.valuation_business_hours)

    def get_rec_name(self, name):
        return self.number or '(%s)' % self.id

    @classmethod
    def search_rec_name(cls, name, clause):
        return ['OR',
            ('number',) + tuple(clause[1:]),
            ('claim.number',) + tuple(clause[1:]),
            ('supplier.name',) + tuple(clause[1:]),
            ]

    @classmethod
    def validate_fields(cls, orders, field_names):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        super().validate_fields(orders, field_names)
        Configuration(1).check_maximum_amounts(
            orders, ['deductible_discount'], field_names)
        for order in orders:
            if (order.deductible_discount or 0) < 0:
                raise WorkOrderError(gettext(
                        'insurance_claims.msg_work_order_negative',
                        order=order.rec_name,
                        field=cls.__names__(
                            'deductible_discount')['field']))
            if order.lines and (order.deductible_discount or 0) > order.total:
                raise WorkOrderError(gettext(
                        'insurance_claims.msg_work_order_discount_total',
                        order=order.rec_name,
                        field=cls.__names__('deductible_discount')['field'],
                        total=cls.__names__('total')['field']))
            if (order.vehicle_entry_at and order.issued_on
                    and order.vehicle_entry_at.date() < order.issued_on):
                raise WorkOrderError(gettext(
                        'insurance_claims.msg_work_order_entry_before_issue',
                        order=order.rec_name,
                        field=cls.__names__('vehicle_entry_at')['field'],
                        issued=cls.__names__('issued_on')['field']))

    @classmethod
    def check_modification(cls, mode, orders, values=None, external=False):
        super().check_modification(
            mode, orders, values=values, external=external)
        if mode == 'delete':
            for order in orders:
                if order.number or order.state != 'draft':
                    raise WorkOrderError(gettext(
                            'insurance_claims.msg_work_order_delete',
                            order=order.rec_name))

    @classmethod
    def on_modification(cls, mode, orders, field_names=None):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        super().on_modification(mode, orders, field_names=field_names)
        if mode != 'delete' and (mode == 'create' or field_names & {
                    'issued_on', 'vehicle_entry_at', 'valued_at', 'state'}):
            Claim.sync_deadlines(Claim.browse({o.claim.id for o in orders}))

    @classmethod
    def copy(cls, orders, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'invoice', 'paid_on', 'paid_amount',
                'accepted_by',
                'accepted_on', 'cancel_reason', 'cancelled_by',
                'vehicle_entry_at', 'valued_at']:
            default.setdefault(name, None)
        return super().copy(orders, default=default)

    @classmethod
    def set_number(cls, orders):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        config = Configuration(1)
        for order in orders:
            if not order.number:
                with Transaction().set_context(company=order.company.id):
                    order.number = config.work_order_sequence.get()
        cls.save(orders)

    def check_signature_request(self):
        if not self.lines or self.total <= 0:
            raise WorkOrderError(gettext(
                    'insurance_claims.msg_work_order_no_lines',
                    order=self.rec_name))
        if self.claim.state not in {'open', 'approval', 'approved'}:
            raise WorkOrderError(gettext(
                    'insurance_claims.msg_work_order_claim_state',
                    order=self.rec_name, claim=self.claim.rec_name))
        for line in self.lines:
            if (line.quantity or 0) <= 0 or (line.unit_price or 0) <= 0:
                raise WorkOrderError(gettext(
                        'insurance_claims.msg_work_order_line_amount',
                        order=self.rec_name))

    @classmethod
    @ModelView.button
    @transition('to_sign')
    def request_signature(cls, orders):
        "Levels 1 and 2 sign the order in an approval round of its own"
        for order in orders:
            order.check_signature_request()
        cls.set_number(orders)
        cls.create_signature_rounds(orders)

    @classmethod
    def create_signature_rounds(cls, orders):
        Approval = approval_model()
        if Approval is None:
            return
        for order in orders:
            Approval.create_round(order.claim, 'work_order', order.total,
                origin=order, levels=[1, 2])

    def approval_approved(self, round_):
        "Called by the approval engine when levels 1 and 2 signed"
        self.__class__.sign([self])

    def approval_rejected(self, round_):
        "Called by the approval engine when a step is rejected"
        self.__class__.reject_signature([self])

    def approval_cancelled(self, round_):
        if self.state == 'to_sign':
            self.__class__.reject_signature([self])

    @classmethod
    @transition('signed')
    def sign(cls, orders):
        pass

    @classmethod
    @transition('draft')
    def reject_signature(cls, orders):
        pass

    def check_conformity(self):
        "The insured, the affected third party or the workshop conforms"
        if not self.accepted_by or not self.accepted_on:
            raise WorkOrderError(gettext(
                    'insurance_claims.msg_work_order_conformity',
                    order=self.rec_name))
        # for parts delivered to a workshop its conformity is valid, the
        # labour order is signed by the insured or the third party
        if self.kind == 'repair' and self.accepted_by == 'workshop':
            raise WorkOrderError(gettext(
                    'insurance_claims.msg_work_order_conformity_repair',
                    order=self.rec_name))
        if self.accepted_on > now().date():
            raise WorkOrderError(gettext(
                    'insurance_claims.msg_work_order_conformity_future',
                    order=self.rec_name))

    @classmethod
    @ModelView.button
    def accept(cls, orders):
        """Record the conformity and hand the supplier invoice to accounting

        The claims are locked first: their committed total and deductible
        are sums over their orders, which a concurrent acceptance changes.
        """
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Claim.lock(sorted({o.claim.id for o in orders}))
        cls.lock(orders)
        orders = cls.browse(orders)
        done = [o for o in orders if o.state in {'invoiced', 'paid'}]
        if done:
            # the loser of a double click or of two users at once
            raise WorkOrderError(gettext(
                    'insurance_claims.msg_work_order_already_accepted',
                    order=done[0].rec_name,
                    invoice=done[0].invoice.rec_name
                    if done[0].invoice else ''))
        orders = [o for o in orders if o.state != 'accepted']
        for order in orders:
            order.check_conformity()
            order.claim.check_deductible_paid()
        cls._accept(orders)
        cls.create_invoice(orders)
        cls.invoiced(orders)

    @classmethod
    @transition('accepted')
    def _accept(cls, orders):
        pass

    def get_invoice_party(self):
        return self.supplier

    def get_invoice_amount(self):
        return self.net_amount

    def get_invoice_description(self):
        return gettext('insurance_claims.msg_work_order_invoice_description',
            order=self.number or '', claim=self.claim.rec_name,
            object=self.claim.insured_object or '')

    @classmethod
    @ModelView.button
    @transition('cancelled')
    def cancel(cls, orders):
        "The regional head cancels with a reason; the national office knows"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        for order in orders:
            if not (order.cancel_reason or '').strip():
                raise WorkOrderError(gettext(
                        'insurance_claims.msg_work_order_cancel_reason',
                        order=order.rec_name))
        cls.write(orders, {'cancelled_by': Transaction().user})
        Approval = approval_model()
        if Approval is not None:
            rounds = Approval.search([
                    ('origin', 'in', [str(o) for o in orders]),
                    ('state', '=', 'pending'),
                    ])
            if rounds:
                with without_check_access():
                    Approval.cancel(rounds)
        group = ModelData.get_id(
            'insurance_claims', 'group_claims_national_office')
        users = User.search([('groups', '=', group)])
        for order in orders:
            notify(users,
                gettext('insurance_claims.msg_work_order_cancelled',
                    order=order.rec_name, claim=order.claim.rec_name),
                order.cancel_reason, [order])


class WorkOrderLine(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'insurance.work_order.line'
    order = fields.Many2One(
        'insurance.work_order', "Order", required=True, ondelete='CASCADE')
    description = fields.Char("Description", required=True)
    quantity = fields.Numeric("Quantity", digits=(16, 2), required=True)
    unit_price = fields.Numeric("Unit Price", digits=(16, 2), required=True)
    amount = fields.Function(fields.Numeric(
            "Amount", digits=(16, 2)), 'on_change_with_amount')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('order')

    @staticmethod
    def default_quantity():
        return Decimal(1)

    @fields.depends('quantity', 'unit_price')
    def on_change_with_amount(self, name=None):
        return (self.quantity or 0) * (self.unit_price or 0)

    @classmethod
    def validate_fields(cls, lines, field_names):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        super().validate_fields(lines, field_names)
        if not field_names or field_names & {'quantity', 'unit_price'}:
            Configuration(1).check_maximum_amounts(
                lines, ['unit_price', 'amount'])

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            if line.order.state != 'draft':
                raise WorkOrderError(gettext(
                        'insurance_claims.msg_work_order_line_readonly',
                        order=line.order.rec_name))


class WorkOrderReport(CompanyReport):
    __name__ = 'insurance.work_order'


class Claim(metaclass=PoolMeta):
    "Deadlines of the claim fed by its work orders [002]"
    __name__ = 'insurance.claim'

    def get_deadline_plan(self):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        plan = super().get_deadline_plan()
        if self.state in {'cancelled', 'closed', 'declined', 'draft'}:
            return plan
        config = Configuration(1)
        orders = [o for o in getattr(self, 'work_orders', None) or []
            if o.state != 'cancelled' and o.kind == 'repair']
        if not orders:
            return plan
        if not self.admission_order_on:
            issued = min(o.issued_on for o in orders)
            entries = [o.vehicle_entry_at for o in orders
                if o.vehicle_entry_at]
            plan['admission_order'] = (
                dt.datetime.combine(issued + dt.timedelta(
                        days=config.admission_order_days),
                    dt.time(23, 59, 59)),
                min(entries) if entries else None)
        if not self.vehicle_entry_at:
            entered = [o for o in orders if o.vehicle_entry_at]
            if entered:
                first = min(entered, key=lambda o: o.vehicle_entry_at)
                plan['valuation'] = (
                    config.add_business_hours(first.vehicle_entry_at,
                        config.valuation_business_hours),
                    first.valued_at)
        return plan


class Approval(metaclass=PoolMeta):
    __name__ = 'insurance.claim.approval'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + [
            'insurance.work_order', 'insurance.claim.payment']
