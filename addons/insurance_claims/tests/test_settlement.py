# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"Settlement: work orders, payment orders, deductible, recoveries, closing"
import datetime as dt
import unittest
from decimal import Decimal
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.insurance_claims.exceptions import (
    PaymentError, WorkOrderError)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import NOW, create_claim, create_line, create_policy, create_region


def fixed_now(moment=NOW):
    return Transaction().set_context(_insurance_now=moment)


def approved(amount):
    "Stub of the claim's approval: approved for amount, no condition"
    return patch.object(Pool().get('insurance.claim'), 'payment_conditions',
        lambda self: {'approved_amount': amount, 'amount': None,
            'coverages': [], 'texts': []}, create=True)


def setup_accounting(company):
    "Chart, fiscal year with invoice sequences and the claims accounts"
    pool = Pool()
    Account = pool.get('account.account')
    FiscalYear = pool.get('account.fiscalyear')
    Configuration = pool.get('insurance.configuration')
    create_chart(company)
    fiscalyear = set_invoice_sequences(get_fiscalyear(company))
    fiscalyear.save()
    FiscalYear.create_period([fiscalyear])
    expense, = Account.search([
            ('type.expense', '=', True), ('closed', '!=', True),
            ('company', '=', company.id)],
        limit=1)
    revenue, = Account.search([
            ('type.revenue', '=', True), ('closed', '!=', True),
            ('company', '=', company.id)],
        limit=1)
    config = Configuration(1)
    config.claims_expense_account = expense
    config.recovery_account = revenue
    config.save()
    return expense, revenue


def setup_claim(company, line_code='TST', **policy_values):
    pool = Pool()
    Claim = pool.get('insurance.claim')
    Party = pool.get('party.party')
    region = create_region('R%s' % line_code)
    Line = pool.get('insurance.line')
    line = (Line.search([('code', '=', line_code)])
        or [create_line(line_code)])[0]
    policy = create_policy(company, line, region,
        number='POL-%s' % line_code, **policy_values)
    Address = pool.get('party.address')
    Address(party=policy.insured).save()
    claim = create_claim(policy, region, damage_estimate=Decimal('5000'))
    Claim.register([claim])
    workshop = Party(name="Taller Demo %s" % line_code,
        addresses=[{}])
    workshop.save()
    return claim, workshop


def set_state(claim, state):
    Pool().get('insurance.claim').write([claim], {'state': state})


def create_order(claim, supplier, kind='repair', lines=((2, 500),),
        **values):
    WorkOrder = Pool().get('insurance.work_order')
    Line = Pool().get('insurance.work_order.line')
    order = WorkOrder(claim=claim, supplier=supplier, kind=kind,
        company=claim.company,
        lines=[Line(description="Item %s" % i, quantity=Decimal(q),
                unit_price=Decimal(p)) for i, (q, p) in enumerate(lines)],
        **values)
    order.save()
    return order


def sign(order):
    "Request the signatures and approve the round (levels 1 and 2)"
    WorkOrder = Pool().get('insurance.work_order')
    with patch.object(WorkOrder, 'create_signature_rounds'):
        WorkOrder.request_signature([order])
    order.approval_approved(None)
    return WorkOrder(order.id)


def create_payment(claim, **values):
    Payment = Pool().get('insurance.claim.payment')
    values.setdefault('kind', 'final')
    values.setdefault('amount', Decimal('1000'))
    values.setdefault('payee', claim.insured)
    payment = Payment(claim=claim, company=claim.company, **values)
    payment.save()
    return payment


def pay(invoice):
    "Post and pay the invoice in accounting"
    pool = Pool()
    Invoice = pool.get('account.invoice')
    Journal = pool.get('account.journal')
    Account = pool.get('account.account')
    PaymentMethod = pool.get('account.invoice.payment.method')
    MoveLine = pool.get('account.move.line')
    Date = pool.get('ir.date')
    invoice = Invoice(invoice.id)
    invoice.invoice_date = Date.today()
    invoice.save()
    Invoice.post([invoice])
    journal, = Journal.search([('type', '=', 'cash')], limit=1)
    cash, = Account.search([
            ('type.statement', 'in', ['balance', 'assets']),
            ('company', '=', invoice.company.id),
            ('closed', '!=', True),
            ('reconcile', '=', False),
            ('type.receivable', '=', False),
            ('type.payable', '=', False),
            ], limit=1)
    method = PaymentMethod(name="Cash", journal=journal,
        credit_account=cash, debit_account=cash, company=invoice.company)
    method.save()
    lines = invoice.pay_invoice(
        invoice.amount_to_pay, method, Date.today())
    MoveLine.reconcile(lines + [l for l in invoice.lines_to_pay
            if not l.reconciliation])
    # the worker runs the queued process of the reconciled invoices
    Invoice.process([invoice])
    return Invoice(invoice.id)


class SettlementTestCase(unittest.TestCase):
    "Test the settlement of claims"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('insurance_claims')

    @with_transaction()
    def test_deductible_kinds(self):
        "Deductible: fixed, % insured, % loss with minimum, capped at loss"
        pool = Pool()
        Coverage = pool.get('insurance.policy.coverage')
        from ..deductible import coverage_deductible
        fixed = Coverage(deductible_kind='fixed',
            deductible_value=Decimal(300), insured_amount=Decimal(20000))
        insured = Coverage(deductible_kind='insured_percent',
            deductible_value=Decimal(2), deductible_minimum=Decimal(100),
            insured_amount=Decimal(20000))
        loss = Coverage(deductible_kind='loss_percent',
            deductible_value=Decimal(10), deductible_minimum=Decimal(250),
            insured_amount=Decimal(20000))
        none = Coverage(deductible_kind='none', insured_amount=Decimal(1),
            deductible_value=None)
        self.assertEqual(coverage_deductible(fixed, Decimal(5000)), 300)
        self.assertEqual(coverage_deductible(insured, Decimal(5000)), 400)
        self.assertEqual(coverage_deductible(loss, Decimal(5000)), 500)
        # the minimum applies to the percentages
        self.assertEqual(coverage_deductible(loss, Decimal(1000)), 250)
        insured.deductible_value = Decimal('0.1')
        self.assertEqual(coverage_deductible(insured, Decimal(5000)), 100)
        self.assertEqual(coverage_deductible(none, Decimal(5000)), 0)

        company = create_company()
        with set_company(company), fixed_now():
            claim, _ = setup_claim(company)
            first, second = claim.policy.coverages
            Coverage.write([first], {'deductible_kind': 'fixed',
                    'deductible_value': Decimal(300)})
            Coverage.write([second], {'deductible_kind': 'loss_percent',
                    'deductible_value': Decimal(10),
                    'deductible_minimum': Decimal(250)})
            claim = pool.get('insurance.claim')(claim.id)
            # 300 + 10 % of the 5,000 estimate
            self.assertEqual(claim.deductible_amount(), Decimal(800))
            self.assertEqual(claim.deductible, Decimal(800))
            # never more than the loss
            self.assertEqual(claim.deductible_amount(Decimal(200)),
                Decimal(200))

    @with_transaction()
    def test_deductible_modalities(self):
        "Discounted from work orders, from the indemnity, or paid"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Coverage = pool.get('insurance.policy.coverage')
        WorkOrder = pool.get('insurance.work_order')
        Payment = pool.get('insurance.claim.payment')
        company = create_company()
        with set_company(company), fixed_now():
            setup_accounting(company)
            claim, workshop = setup_claim(company)
            Coverage.write([claim.policy.coverages[0]], {
                    'deductible_kind': 'fixed',
                    'deductible_value': Decimal(300)})
            Claim.write([claim], {'deductible_modality': 'work_orders'})
            order = WorkOrder(claim=claim, supplier=workshop,
                company=company, kind='purchase')
            order.lines = [pool.get('insurance.work_order.line')(
                    description="Bumper", quantity=Decimal(1),
                    unit_price=Decimal(200))]
            order.on_change_lines()
            self.assertEqual(order.deductible_discount, Decimal(200))
            order.save()
            second = WorkOrder(claim=claim, supplier=workshop,
                company=company, kind='repair')
            second.lines = [pool.get('insurance.work_order.line')(
                    description="Labour", quantity=Decimal(1),
                    unit_price=Decimal(800))]
            second.on_change_lines()
            # only what remains of the deductible
            self.assertEqual(second.deductible_discount, Decimal(100))
            second.save()
            claim = Claim(claim.id)
            self.assertEqual(claim.deductible_pending, Decimal(0))

            Claim.write([claim], {'deductible_modality': 'indemnity'})
            payment = Payment(claim=claim, kind='final',
                amount=Decimal(1000), company=company)
            payment.on_change_claim()
            self.assertEqual(payment.payee, claim.insured)
            # the orders already discounted 300
            self.assertEqual(payment.deductible_amount, Decimal(0))
            WorkOrder.write([order, second],
                {'deductible_discount': Decimal(0)})
            payment.on_change_claim()
            self.assertEqual(payment.deductible_amount, Decimal(300))
            self.assertEqual(payment.on_change_with_net_amount(),
                Decimal(700))

            # paid at the office: the conformity needs the payment
            Claim.write([claim], {'deductible_modality': 'paid'})
            set_state(claim, 'approved')
            order = sign(WorkOrder(order.id))
            order.accepted_by = 'workshop'
            order.accepted_on = NOW.date()
            order.save()
            with self.assertRaises(UserError):
                WorkOrder.accept([order])
            Claim.send_deductible_notice([claim])
            claim = Claim(claim.id)
            self.assertEqual(claim.deductible_notice_valid_until,
                NOW.date() + dt.timedelta(days=45))
            # a payment after the 45 days needs a new notice
            with self.assertRaises(UserError):
                Claim.write([claim], {'deductible_paid_on':
                        NOW.date() + dt.timedelta(days=46)})
            Claim.write([claim], {'deductible_paid_on': NOW.date()})
            WorkOrder.accept([order])
            self.assertEqual(order.state, 'invoiced')

    @with_transaction()
    def test_work_order_invoice(self):
        "Signed order + conformity = one supplier invoice, net of deductible"
        pool = Pool()
        WorkOrder = pool.get('insurance.work_order')
        Claim = pool.get('insurance.claim')
        Deadline = pool.get('insurance.claim.deadline')
        company = create_company()
        with set_company(company), fixed_now():
            expense, _ = setup_accounting(company)
            claim, workshop = setup_claim(company)
            Claim.write([claim], {'deductible_modality': 'work_orders'})
            order = create_order(claim, workshop,
                lines=((1, 1200), (2, 150)),
                deductible_discount=Decimal(250))
            self.assertEqual(order.total, Decimal(1500))
            self.assertEqual(order.net_amount, Decimal(1250))
            self.assertEqual(order.valid_until,
                NOW.date() + dt.timedelta(days=30))
            with self.assertRaises(UserError):
                WorkOrder.accept([order])
            order = sign(order)
            self.assertEqual(order.state, 'signed')
            self.assertTrue(order.number)
            # the admission order deadline follows the work order
            deadline, = Deadline.search([
                    ('claim', '=', claim.id), ('kind', '=', 'admission_order'),
                    ('state', '=', 'pending')])
            order.vehicle_entry_at = NOW
            order.save()
            self.assertEqual(order.valuation_due.date(),
                dt.date(2026, 3, 13))
            deadline = Deadline(deadline.id)
            self.assertEqual(deadline.state, 'met')

            with self.assertRaises(UserError):
                WorkOrder.accept([order])  # no conformity
            order.accepted_by = 'workshop'
            order.accepted_on = NOW.date()
            order.save()
            with self.assertRaises(UserError):
                WorkOrder.accept([order])  # labour: not the workshop
            order.accepted_by = 'insured'
            order.save()
            WorkOrder.accept([order])
            order = WorkOrder(order.id)
            self.assertEqual(order.state, 'invoiced')
            invoice = order.invoice
            self.assertEqual(invoice.type, 'in')
            self.assertEqual(invoice.party, workshop)
            self.assertEqual(invoice.state, 'draft')
            self.assertEqual(invoice.total_amount, Decimal(1250))
            line, = invoice.lines
            self.assertEqual(line.origin, order)
            self.assertEqual(line.account, expense)
            # a second click is refused and changes nothing
            with self.assertRaisesRegex(
                    WorkOrderError, "already accepted"):
                WorkOrder.accept([order])
            self.assertEqual(WorkOrder(order.id).invoice, invoice)

            invoice = pay(invoice)
            self.assertEqual(invoice.state, 'paid')
            order = WorkOrder(order.id)
            self.assertEqual(order.state, 'paid')
            self.assertEqual(order.paid_amount, Decimal(1250))
            self.assertEqual(Claim(claim.id).paid_amount, Decimal(1250))

    @with_transaction()
    def test_work_order_cancel(self):
        "Cancel needs a reason and informs the national office"
        pool = Pool()
        WorkOrder = pool.get('insurance.work_order')
        company = create_company()
        with set_company(company), fixed_now():
            setup_accounting(company)
            claim, workshop = setup_claim(company)
            order = sign(create_order(claim, workshop))
            with self.assertRaises(UserError):
                WorkOrder.cancel([order])
            order.cancel_reason = "Duplicated order"
            order.save()
            WorkOrder.cancel([order])
            self.assertEqual(order.state, 'cancelled')
            self.assertEqual(order.cancelled_by.id, Transaction().user)
            with self.assertRaises(UserError):
                WorkOrder.delete([order])

    @with_transaction()
    def test_payment_invoice_once(self):
        "One invoice per payment order: double click, retry, concurrency"
        pool = Pool()
        Payment = pool.get('insurance.claim.payment')
        InvoiceLine = pool.get('account.invoice.line')
        company = create_company()
        with set_company(company), fixed_now():
            expense, _ = setup_accounting(company)
            claim, _ = setup_claim(company)
            set_state(claim, 'approved')
            payment = create_payment(claim, conformity_on=NOW.date(),
                amount=Decimal(1000), deductible_amount=Decimal(100))
            stale = Payment(payment.id)
            self.assertIsNone(stale.invoice)
            with approved(Decimal(5000)):
                Payment.approve([payment])
                with self.assertRaisesRegex(PaymentError, "already approved"):
                    Payment.approve([payment])  # double click
            payment = Payment(payment.id)
            self.assertEqual(payment.state, 'invoiced')
            self.assertTrue(payment.number)
            invoice = payment.invoice
            self.assertEqual(invoice.type, 'in')
            self.assertEqual(invoice.party, claim.insured)
            self.assertEqual(invoice.total_amount, Decimal(900))
            self.assertEqual(invoice.lines[0].account, expense)
            # a concurrent approval holding a stale record re-reads the row
            self.assertEqual(Payment.create_invoice([stale]), [])
            self.assertEqual(InvoiceLine.search_count(
                    [('origin', '=', str(payment))]), 1)
            # backstop: no second live invoice line for the same order
            with self.assertRaises(UserError):
                invoice = pool.get('account.invoice')(
                    company=company, type='in', party=claim.insured,
                    currency=company.currency,
                    account=claim.insured.account_payable_used)
                invoice.set_journal()
                invoice.lines = [InvoiceLine(type='line', quantity=1,
                        unit_price=Decimal(1), account=expense,
                        company=company, currency=company.currency,
                        invoice_type='in', origin=payment)]
                invoice.save()

    @with_transaction()
    def test_payment_paid_sync(self):
        "The paid invoice moves the order to paid and the claim follows"
        pool = Pool()
        Payment = pool.get('insurance.claim.payment')
        Claim = pool.get('insurance.claim')
        company = create_company()
        with set_company(company), fixed_now():
            setup_accounting(company)
            claim, _ = setup_claim(company)
            set_state(claim, 'approved')
            payment = create_payment(claim, conformity_on=NOW.date(),
                amount=Decimal(1200))
            with approved(Decimal(5000)):
                Payment.approve([payment])
            pay(payment.invoice)
            payment = Payment(payment.id)
            self.assertEqual(payment.state, 'paid')
            self.assertTrue(payment.paid_on)
            claim = Claim(claim.id)
            self.assertEqual(claim.paid_amount, Decimal(1200))
            self.assertEqual(claim.outstanding_reserve, Decimal(3800))
            with self.assertRaises(UserError):
                Payment.cancel([payment])

    @with_transaction()
    def test_payment_approval_rules(self):
        "Within the approved amount; extraordinary needs its own round"
        pool = Pool()
        Payment = pool.get('insurance.claim.payment')
        company = create_company()
        with set_company(company), fixed_now():
            setup_accounting(company)
            claim, workshop = setup_claim(company)
            payment = create_payment(claim, conformity_on=NOW.date(),
                amount=Decimal(3000))
            with self.assertRaises(UserError):
                Payment.approve([payment])  # claim not approved
            set_state(claim, 'approved')
            with approved(Decimal(2000)), self.assertRaises(UserError):
                Payment.approve([payment])
            with approved(Decimal(3000)):
                Payment.approve([payment])
            other = create_payment(claim, conformity_on=NOW.date(),
                amount=Decimal(1))
            with approved(Decimal(3000)), self.assertRaises(UserError):
                Payment.approve([other])

            extra = create_payment(claim, kind='extraordinary',
                payee=workshop, amount=Decimal(700))
            with self.assertRaises(UserError):
                Payment.approve([extra])
            extra.approval_approved(None)
            Payment.approve([extra])
            self.assertEqual(extra.state, 'invoiced')
            with self.assertRaises(UserError):
                create_payment(claim, amount=Decimal(-5))

    @with_transaction()
    def test_payee_rule(self):
        "Indemnities go to the preferred beneficiary unless released"
        pool = Pool()
        Party = pool.get('party.party')
        Payment = pool.get('insurance.claim.payment')
        Claim = pool.get('insurance.claim')
        company = create_company()
        with set_company(company), fixed_now():
            setup_accounting(company)
            bank = Party(name="Financiera", addresses=[{}])
            bank.save()
            claim, workshop = setup_claim(company,
                preferred_beneficiary=bank)
            set_state(claim, 'approved')
            self.assertEqual(claim.payee_for('final'), bank)
            self.assertIsNone(claim.payee_for('expense'))
            payment = create_payment(claim, conformity_on=NOW.date())
            with approved(Decimal(5000)), self.assertRaises(UserError):
                Payment.approve([payment])
            expense = create_payment(claim, kind='expense', payee=workshop)
            with approved(Decimal(5000)):
                Payment.approve([expense])
            Claim.write([claim], {'beneficiary_release_on': NOW.date()})
            self.assertEqual(Claim(claim.id).payee_for('final'),
                claim.insured)
            with approved(Decimal(5000)):
                Payment.approve([payment])
            self.assertEqual(payment.invoice.party, claim.insured)

    @with_transaction()
    def test_conformity_rule(self):
        "Without work orders: written conformity, or the medical report"
        pool = Pool()
        Payment = pool.get('insurance.claim.payment')
        company = create_company()
        with set_company(company), fixed_now():
            setup_accounting(company)
            claim, workshop = setup_claim(company)
            set_state(claim, 'approved')
            payment = create_payment(claim)
            with approved(Decimal(5000)), self.assertRaises(UserError):
                Payment.approve([payment])
            with self.assertRaises(UserError):
                Payment.write([payment], {
                        'conformity_on': NOW.date() + dt.timedelta(days=2)})
            Payment.write([payment], {'conformity_on': NOW.date()})
            with approved(Decimal(5000)):
                Payment.approve([payment])
            # a work order signs the conformity of the indemnity
            order = create_order(claim, workshop)
            other = create_payment(claim, amount=Decimal(10))
            with approved(Decimal(5000)):
                Payment.approve([other])
            self.assertEqual(other.state, 'invoiced')
            self.assertEqual(order.state, 'draft')

            accident, _ = setup_claim(company, line_code='PA')
            set_state(accident, 'approved')
            payment = create_payment(accident, conformity_on=NOW.date())
            with approved(Decimal(5000)), self.assertRaises(UserError):
                Payment.approve([payment])
            Payment.write([payment], {'medical_report_on': NOW.date()})
            with approved(Decimal(5000)):
                Payment.approve([payment])
            self.assertEqual(payment.state, 'invoiced')

    @with_transaction()
    def test_recovery_invoice(self):
        "Recovering invoices the counterparty on the recovery account"
        pool = Pool()
        Recovery = pool.get('insurance.claim.recovery')
        Party = pool.get('party.party')
        Claim = pool.get('insurance.claim')
        company = create_company()
        with set_company(company), fixed_now():
            _, revenue = setup_accounting(company)
            claim, _ = setup_claim(company)
            third = Party(name="Tercero responsable", addresses=[{}])
            third.save()
            recovery = Recovery(claim=claim, company=company,
                kind='subrogation_conciliation', counterparty=third,
                expected_amount=Decimal(900))
            recovery.save()
            Recovery.start([recovery])
            with self.assertRaises(UserError):
                Recovery.recover([recovery])
            recovery.recovered_amount = Decimal(750)
            recovery.save()
            Recovery.recover([recovery])
            Recovery.recover([recovery])
            recovery = Recovery(recovery.id)
            self.assertEqual(recovery.state, 'invoiced')
            invoice = recovery.invoice
            self.assertEqual(invoice.type, 'out')
            self.assertEqual(invoice.party, third)
            self.assertEqual(invoice.total_amount, Decimal(750))
            self.assertEqual(invoice.lines[0].account, revenue)
            self.assertEqual(Claim(claim.id).recovered_amount, Decimal(750))
            pay(invoice)
            self.assertEqual(Recovery(recovery.id).state, 'paid')

    @with_transaction()
    def test_close_guard(self):
        "Close only when every order is paid or cancelled"
        pool = Pool()
        Payment = pool.get('insurance.claim.payment')
        Claim = pool.get('insurance.claim')
        company = create_company()
        with set_company(company), fixed_now():
            setup_accounting(company)
            claim, _ = setup_claim(company)
            set_state(claim, 'approved')
            payment = create_payment(claim, conformity_on=NOW.date(),
                amount=Decimal(1500))
            draft = create_payment(claim, amount=Decimal(10))
            with approved(Decimal(5000)):
                Payment.approve([payment])
            with self.assertRaises(UserError):
                Claim.close([claim])
            Payment.cancel([draft])
            with self.assertRaises(UserError):
                Claim.close([claim])
            pay(payment.invoice)
            claim = Claim(claim.id)
            Claim.close([claim])
            claim = Claim(claim.id)
            self.assertEqual(claim.state, 'closed')
            self.assertEqual(claim.reserve_amount, Decimal(1500))
            self.assertEqual(claim.outstanding_reserve, Decimal(0))
            self.assertEqual(claim.closed_at, NOW)
            self.assertEqual(claim.archive_stage, 'regional')
            self.assertEqual(Claim.search(
                    [('archive_stage', '=', 'regional')]), [claim])
            with fixed_now(NOW + dt.timedelta(days=800)):
                self.assertEqual(Claim(claim.id).archive_stage, 'passive')
                self.assertEqual(Claim.search(
                        [('archive_stage', '=', 'passive')]), [claim])
            with fixed_now(NOW + dt.timedelta(days=3700)):
                self.assertEqual(Claim(claim.id).archive_stage,
                    'destruction')

    @with_transaction()
    def test_complaint(self):
        "Regulator letter: forwarded the same day, national office approves"
        pool = Pool()
        Complaint = pool.get('insurance.claim.complaint')
        Deadline = pool.get('insurance.claim.deadline')
        company = create_company()
        with set_company(company), fixed_now():
            claim, _ = setup_claim(company)
            complaint = Complaint(claim=claim, company=company,
                reference="APS-123", request="Informe del trámite")
            complaint.save()
            self.assertEqual(complaint.forward_due, NOW.date())
            deadline, = Deadline.search([('claim', '=', claim.id),
                    ('kind', '=', 'complaint_forwarding')])
            self.assertEqual(deadline.state, 'pending')
            Complaint.forward([complaint])
            self.assertFalse(complaint.forwarded_late)
            deadline = Deadline(deadline.id)
            self.assertEqual(deadline.state, 'met')
            with self.assertRaises(UserError):
                Complaint.submit_response([complaint])
            complaint.response = "Respuesta"
            complaint.save()
            Complaint.submit_response([complaint])
            Complaint.approve_response([complaint])
            self.assertEqual(complaint.response_approved_by.id,
                Transaction().user)
            Complaint.send([complaint])
            self.assertEqual(complaint.state, 'sent')

    @with_transaction()
    def test_access(self):
        "Accountants read payment orders; claims staff never write invoices"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Payment = pool.get('insurance.claim.payment')
        Invoice = pool.get('account.invoice')
        company = create_company()
        with set_company(company), fixed_now():
            setup_accounting(company)
            claim, _ = setup_claim(company)
            set_state(claim, 'approved')
            payment = create_payment(claim, conformity_on=NOW.date())
            with approved(Decimal(5000)):
                Payment.approve([payment])
            invoice = payment.invoice

            def user(login, *groups):
                user = User(login=login, name=login, companies=[company],
                    company=company, groups=[
                        ModelData.get_id(*g.split('.')) for g in groups],
                    insurance_regions=[claim.occurrence_region])
                user.save()
                return user
            accountant = user('accountant', 'account.group_account')
            executive = user('executive',
                'insurance_claims.group_claims_executive')
            # an invoice of another department
            other = Invoice(company=company, type='in', party=claim.insured,
                currency=company.currency,
                invoice_address=claim.insured.address_get(),
                account=claim.insured.account_payable_used)
            other.set_journal()
            other.save()

        with Transaction().set_user(accountant.id), \
                Transaction().set_context(_check_access=True,
                    company=company.id):
            self.assertEqual(Payment.search([]), [payment])
            self.assertEqual(Payment.read([payment.id], ['claim.number']),
                [{'id': payment.id, 'claim.': {
                            'id': claim.id, 'number': claim.number}}])
            with self.assertRaises(AccessError):
                Payment.write([Payment(payment.id)], {'description': "x"})
            Invoice.write([Invoice(invoice.id)], {'reference': "F-1"})
            self.assertEqual(set(Invoice.search([])), {invoice, other})

        with Transaction().set_user(executive.id), \
                Transaction().set_context(_check_access=True,
                    company=company.id):
            self.assertEqual(Invoice.search([]), [invoice])
            # the invoices of other departments are not the claims'
            with self.assertRaises(AccessError):
                Invoice.read([other.id], ['state'])
            with self.assertRaises(AccessError):
                Invoice.write([Invoice(invoice.id)], {'reference': "F-2"})
            with self.assertRaises(AccessError):
                Invoice.post([Invoice(invoice.id)])
