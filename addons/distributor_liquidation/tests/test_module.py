# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime
from decimal import Decimal
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.modules.distributor_liquidation.configuration import (
    add_business_days)
from trytond.modules.distributor_liquidation.plan import next_due_date
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

date = datetime.date


class DistributorLiquidationTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Distributor Liquidation module"
    module = 'distributor_liquidation'

    def setup_office(self, with_accounting=False):
        "Create the company, the configuration, a dealer and a plan"
        pool = Pool()
        Country = pool.get('country.country')
        Address = pool.get('party.address')
        Party = pool.get('party.party')
        Department = pool.get('insurance.department')
        Configuration = pool.get('distributor.configuration')
        Plan = pool.get('distributor.plan')
        Account = pool.get('account.account')

        company = create_company()
        mexico = Country(name="Mexico", code='MX')
        mexico.save()
        Address.create([{'party': company.party.id, 'country': mexico.id}])
        Address.write(list(company.party.addresses), {'country': mexico.id})
        departments = Department.create([
                {'name': "Customer Service", 'code': 'CA'},
                {'name': "Early Collection", 'code': 'COBT'},
                {'name': "Extrajudicial", 'code': 'COBEX'},
                ])
        dealer, customer = Party.create([
                {'name': "Dealer One"},
                {'name': "Customer One", 'addresses': [('create', [{}])]},
                ])
        with set_company(company):
            if with_accounting:
                create_chart(company)
                fiscalyear = set_invoice_sequences(get_fiscalyear(company))
                fiscalyear.save()
                fiscalyear.create_period([fiscalyear])
            config = Configuration(1)
            (config.customer_service_department,
                config.early_collection_department,
                config.extrajudicial_department) = departments
            if with_accounting:
                config.liquidation_account, = Account.search([
                        ('type.revenue', '=', True),
                        ('closed', '!=', True),
                        ('company', '=', company.id),
                        ], limit=1)
            config.save()
            plan = Plan(
                group_code='1234', member_code='056', customer=customer,
                distributor=dealer, insurance_frequency='monthly',
                insurance_start_date=date(2024, 1, 31),
                arrears_amount=Decimal('500.00'),
                balance_lines=[
                    {'concept': 'capital', 'amount': Decimal('90000')},
                    {'concept': 'admin_fee', 'amount': Decimal('5000')},
                    {'concept': 'auto_insurance', 'amount': Decimal('3000')},
                    {'concept': 'life_insurance', 'amount': Decimal('800')},
                    {'concept': 'interest', 'amount': Decimal('1200')},
                    ])
            plan.save()
        return company, plan, departments

    def create_liquidation(self, plan, **values):
        Liquidation = Pool().get('distributor.liquidation')
        liquidation = Liquidation(plan=plan, **values)
        liquidation.on_change_plan()
        liquidation.save()
        return liquidation

    @with_transaction()
    def test_routing_threshold(self):
        "Routing at 500.00, 500.01 and in extrajudicial collection"
        company, plan, (service, early, extra) = self.setup_office()
        with set_company(company):
            self.assertEqual(plan.routing_department_for(), service)
            plan.arrears_amount = Decimal('500.01')
            plan.save()
            self.assertEqual(plan.routing_department_for(), early)
            self.assertEqual(plan.routing, 'early_collection')
            plan.arrears_amount = Decimal('10.00')
            plan.collection_stage = 'extrajudicial'
            plan.save()
            self.assertEqual(plan.routing_department_for(), extra)

            liquidation = self.create_liquidation(plan)
            self.assertEqual(liquidation.routing_department, extra)

    @with_transaction()
    def test_routing_threshold_configurable(self):
        "The threshold comes from the configuration"
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        company, plan, (service, early, extra) = self.setup_office()
        with set_company(company):
            config = Configuration(1)
            config.arrears_threshold = Decimal('400')
            config.save()
            self.assertEqual(plan.routing_department_for(), early)

    @with_transaction()
    def test_routing_department_missing(self):
        "Routing without a configured department names the routing"
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        company, plan, _ = self.setup_office()
        with set_company(company):
            config = Configuration(1)
            config.customer_service_department = None
            config.save()
            with self.assertRaisesRegex(UserError, "Customer Service"):
                plan.routing_department_for()

    @with_transaction()
    def test_quoted_amount_without_life_insurance(self):
        "The quoted amount leaves life insurance out"
        company, plan, _ = self.setup_office()
        with set_company(company):
            self.assertEqual(plan.quoted_amount, Decimal('99200'))
            liquidation = self.create_liquidation(plan)
            self.assertEqual(liquidation.quoted_amount, Decimal('99200'))

    def test_next_due_date(self):
        "Next auto insurance instalment for each frequency"
        for start, frequency, after, expected in [
                (date(2024, 1, 15), 'monthly', date(2025, 3, 10),
                    date(2025, 3, 15)),
                (date(2024, 1, 15), 'monthly', date(2025, 3, 15),
                    date(2025, 4, 15)),
                (date(2024, 1, 31), 'monthly', date(2025, 4, 5),
                    date(2025, 4, 30)),
                (date(2024, 1, 31), 'monthly', date(2025, 4, 30),
                    date(2025, 5, 31)),
                (date(2024, 1, 31), 'monthly', date(2025, 2, 1),
                    date(2025, 2, 28)),
                (date(2024, 1, 31), 'monthly', date(2024, 2, 1),
                    date(2024, 2, 29)),
                (date(2024, 1, 31), 'quarterly', date(2024, 2, 1),
                    date(2024, 4, 30)),
                (date(2024, 8, 31), 'quarterly', date(2024, 9, 1),
                    date(2024, 11, 30)),
                (date(2023, 8, 31), 'semiannual', date(2024, 1, 1),
                    date(2024, 2, 29)),
                (date(2024, 3, 10), 'semiannual', date(2025, 3, 10),
                    date(2025, 9, 10)),
                (date(2024, 2, 29), 'annual', date(2024, 3, 1),
                    date(2025, 2, 28)),
                (date(2024, 2, 29), 'annual', date(2027, 3, 1),
                    date(2028, 2, 29)),
                (date(2026, 5, 1), 'annual', date(2025, 6, 1),
                    date(2026, 5, 1)),
                ]:
            with self.subTest(start=start, frequency=frequency, after=after):
                self.assertEqual(
                    next_due_date(start, frequency, after), expected)

    @with_transaction()
    def test_commitment_date_suggested(self):
        "The commitment date is the next instalment after today"
        pool = Pool()
        Date = pool.get('ir.date')
        company, plan, _ = self.setup_office()
        with set_company(company), \
                patch.object(Date, 'today', return_value=date(2025, 4, 5)):
            liquidation = self.create_liquidation(plan)
            self.assertEqual(liquidation.commitment_date, date(2025, 4, 30))

    def test_business_days(self):
        "Business days skip weekends and Mexican holidays"
        # 2025-09-16 (Tuesday) is Independence Day in Mexico
        self.assertEqual(
            add_business_days(date(2025, 9, 15), 1, 'MX'), date(2025, 9, 17))
        self.assertEqual(
            add_business_days(date(2025, 9, 15), 1, None), date(2025, 9, 16))
        # Friday + 1 business day is Monday
        self.assertEqual(
            add_business_days(date(2025, 9, 12), 1, 'MX'), date(2025, 9, 15))
        self.assertEqual(
            add_business_days(date(2025, 9, 12), 5, 'MX'), date(2025, 9, 22))

    @with_transaction()
    def test_task_due_dates(self):
        "Response times in calendar and business days over a holiday"
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        company, _, _ = self.setup_office()
        with set_company(company):
            config = Configuration(1)
            paid_on = date(2025, 9, 12)  # Friday before Independence Day
            expected = {
                'plan_liquidation': date(2025, 9, 15),
                'insurance_cancellation': date(2025, 9, 17),
                'interest_waiver': date(2025, 9, 18),
                'invoice_delivery': date(2025, 9, 22),
                }
            for kind, due in expected.items():
                self.assertEqual(
                    config.response_due_date(kind, paid_on, company), due)
            config.business_days = False
            config.save()
            for kind, days in [('plan_liquidation', 1),
                    ('insurance_cancellation', 2), ('interest_waiver', 3),
                    ('invoice_delivery', 5)]:
                self.assertEqual(
                    config.response_due_date(kind, paid_on, company),
                    paid_on + datetime.timedelta(days=days))

    def pay(self, invoice, when):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Journal = pool.get('account.journal')
        Account = pool.get('account.account')
        Line = pool.get('account.move.line')
        PaymentMethod = pool.get('account.invoice.payment.method')
        journal, = Journal.search([('type', '=', 'cash')], limit=1)
        cash, = Account.search([('code', '=', '1.1.1')], limit=1)
        method = PaymentMethod(
            name="Cash", journal=journal, credit_account=cash,
            debit_account=cash)
        method.save()
        lines = invoice.pay_invoice(invoice.amount_to_pay, method, when)
        Line.reconcile(list(invoice.lines_to_pay) + list(lines))
        Invoice.process([invoice])

    @with_transaction()
    def test_workflow_paid_by_invoice(self):
        "Payment of the posted invoice moves the request to paid"
        pool = Pool()
        Liquidation = pool.get('distributor.liquidation')
        Task = pool.get('distributor.liquidation.task')
        Date = pool.get('ir.date')
        company, plan, _ = self.setup_office(with_accounting=True)
        with set_company(company):
            today = Date.today()
            liquidation = self.create_liquidation(
                plan, agreed_amount=Decimal('98000'))
            Liquidation.register([liquidation])
            self.assertTrue(liquidation.folio)
            self.assertEqual(liquidation.state, 'registered')
            self.assertEqual(
                {d.kind for d in liquidation.documents},
                {'cancellation_form', 'official_id'})

            Liquidation.request_payment([liquidation])
            invoice = liquidation.invoice
            self.assertEqual(invoice.state, 'posted')
            self.assertEqual(invoice.type, 'out')
            self.assertEqual(invoice.total_amount, Decimal('98000'))
            self.assertEqual(invoice.lines[0].origin, liquidation)
            self.assertEqual(liquidation.state, 'awaiting_payment')

            self.pay(invoice, today)
            invoice = invoice.__class__(invoice.id)
            self.assertEqual(invoice.state, 'paid')
            liquidation = Liquidation(liquidation.id)
            self.assertEqual(liquidation.state, 'paid')
            self.assertEqual(liquidation.payment_received_on, today)
            self.assertEqual(
                {t.kind for t in liquidation.tasks},
                {'plan_liquidation', 'insurance_cancellation',
                    'invoice_delivery'})

            with self.assertRaisesRegex(UserError, "Official ID"):
                Liquidation.cancel_insurance([liquidation])
            for document in liquidation.documents:
                document.received_on = today
            liquidation.documents = liquidation.documents
            liquidation.save()
            Liquidation.cancel_insurance([liquidation])
            Liquidation.request_invoice([liquidation])
            with self.assertRaisesRegex(UserError, "Delivered To"):
                Liquidation.deliver_invoice([liquidation])
            liquidation.delivered_to = "Dealer representative"
            liquidation.save()
            Liquidation.deliver_invoice([liquidation])
            Liquidation.done([liquidation])
            self.assertEqual(liquidation.state, 'done')
            self.assertEqual(
                {t.state for t in Task.search([])}, {'done'})

            liquidation.interest_waiver_amount = None
            with self.assertRaises(UserError):
                Liquidation.waive_interest([liquidation])

    @with_transaction()
    def test_interest_waiver_credit_note(self):
        "The interest waiver is a posted credit note"
        pool = Pool()
        Liquidation = pool.get('distributor.liquidation')
        company, plan, _ = self.setup_office(with_accounting=True)
        with set_company(company):
            liquidation = self.create_liquidation(
                plan, agreed_amount=Decimal('98000'),
                interest_waiver_amount=Decimal('1200'))
            Liquidation.register([liquidation])
            Liquidation.request_payment([liquidation])
            Liquidation.waive_interest([liquidation])
            credit_note = liquidation.credit_note
            self.assertEqual(credit_note.state, 'posted')
            self.assertEqual(credit_note.total_amount, Decimal('-1200'))
            Liquidation.waive_interest([liquidation])
            self.assertEqual(liquidation.credit_note, credit_note)

    @with_transaction()
    def test_wrong_state_refused(self):
        "Buttons refuse requests in the wrong state and change nothing"
        pool = Pool()
        Liquidation = pool.get('distributor.liquidation')
        company, plan, _ = self.setup_office()
        with set_company(company):
            liquidation = self.create_liquidation(plan)
            for button in ['request_payment', 'cancel_insurance',
                    'request_invoice', 'deliver_invoice', 'done']:
                with self.subTest(button=button):
                    with self.assertRaisesRegex(UserError, "Draft"):
                        getattr(Liquidation, button)([liquidation])
                    self.assertEqual(liquidation.state, 'draft')
            Liquidation.register([liquidation])
            with self.assertRaisesRegex(UserError, "Registered"):
                Liquidation.register([liquidation])
            with self.assertRaisesRegex(UserError, "Cancellation Reason"):
                Liquidation.cancel([liquidation])
            liquidation.cancel_reason = "The customer changed his mind"
            liquidation.save()
            Liquidation.cancel([liquidation])
            self.assertEqual(liquidation.state, 'cancelled')
            with self.assertRaises(UserError):
                Liquidation.cancel([liquidation])
            with self.assertRaises(AccessError):
                Liquidation.delete([liquidation])

    @with_transaction()
    def test_bad_amounts_and_dates(self):
        "Zero or negative amounts and dates before start are refused"
        pool = Pool()
        Liquidation = pool.get('distributor.liquidation')
        company, plan, _ = self.setup_office()
        with set_company(company):
            liquidation = self.create_liquidation(plan)
            for amount in [Decimal(0), Decimal('-1')]:
                liquidation.agreed_amount = amount
                with self.assertRaisesRegex(UserError, "Agreed Amount"):
                    liquidation.save()
            liquidation = Liquidation(liquidation.id)
            liquidation.agreed_amount = None
            liquidation.commitment_date = (
                liquidation.request_date - datetime.timedelta(days=1))
            with self.assertRaisesRegex(UserError, "Commitment Date"):
                liquidation.save()
            plan.arrears_amount = Decimal('-5')
            with self.assertRaisesRegex(UserError, "Arrears"):
                plan.save()

    @with_transaction()
    def test_overdue_cron(self):
        "The cron flags overdue tasks once, in SQL"
        pool = Pool()
        Liquidation = pool.get('distributor.liquidation')
        Task = pool.get('distributor.liquidation.task')
        Date = pool.get('ir.date')
        company, plan, _ = self.setup_office()
        with set_company(company):
            today = Date.today()
            liquidation = self.create_liquidation(plan)
            past = today - datetime.timedelta(days=3)
            late, ontime, finished = Task.create([
                    {'liquidation': liquidation.id, 'kind': 'plan_liquidation',
                        'due': past},
                    {'liquidation': liquidation.id,
                        'kind': 'invoice_delivery', 'due': today},
                    {'liquidation': liquidation.id,
                        'kind': 'interest_waiver', 'due': past,
                        'state': 'done', 'done_on': past},
                    ])
            Task.flag_overdue()
            self.assertEqual(
                [t.state for t in Task.browse([late, ontime, finished])],
                ['overdue', 'pending', 'done'])
            Task.flag_overdue()
            self.assertEqual(
                [t.state for t in Task.browse([late, ontime, finished])],
                ['overdue', 'pending', 'done'])
            Task.complete([late])
            self.assertEqual(late.state, 'done')
            self.assertEqual(Liquidation(liquidation.id).state, 'draft')

    @with_transaction()
    def test_follow_up_by_folio(self):
        "Requests are found by folio and by group and member"
        pool = Pool()
        Liquidation = pool.get('distributor.liquidation')
        company, plan, _ = self.setup_office()
        with set_company(company):
            liquidation = self.create_liquidation(plan)
            Liquidation.register([liquidation])
            self.assertEqual(
                Liquidation.search([('rec_name', '=', liquidation.folio)]),
                [liquidation])
            self.assertEqual(
                Liquidation.search([('rec_name', 'ilike', '1234-056')]),
                [liquidation])
            self.assertEqual(
                Liquidation.search([
                        ('group_code', '=', '1234'),
                        ('member_code', '=', '056')]),
                [liquidation])

    @with_transaction()
    def test_plan_unique_group_member(self):
        "Group and member are unique together"
        pool = Pool()
        Plan = pool.get('distributor.plan')
        company, plan, _ = self.setup_office()
        with set_company(company):
            with self.assertRaises(UserError):
                Plan.create([{
                            'group_code': '1234', 'member_code': '056',
                            'customer': plan.customer.id,
                            'distributor': plan.distributor.id,
                            'insurance_start_date': date(2024, 1, 1),
                            }])

    @with_transaction()
    def test_endorsement_required_attachments(self):
        "Each kind of endorsement needs its fields and attachments"
        pool = Pool()
        Endorsement = pool.get('distributor.endorsement')
        company, plan, _ = self.setup_office()
        with set_company(company):
            endorsement = Endorsement(
                plan=plan, agency=plan.distributor, kind='special_equipment',
                effective_from=date(2025, 1, 1))
            endorsement.save()
            with self.assertRaisesRegex(UserError, "Charge From"):
                Endorsement.submit([endorsement])
            endorsement.charge_from = date(2024, 12, 1)
            with self.assertRaisesRegex(UserError, "Charge From"):
                endorsement.save()
            endorsement.charge_from = date(2025, 2, 1)
            endorsement.attachments = [{'kind': 'quote', 'data': b'quote'}]
            endorsement.save()
            with self.assertRaisesRegex(UserError, "Equipment"):
                Endorsement.submit([endorsement])
            self.assertEqual(endorsement.state, 'draft')
            endorsement.attachments = list(endorsement.attachments) + [
                {'kind': 'equipment_invoice', 'data': b'invoice'}]
            endorsement.save()
            Endorsement.submit([endorsement])
            self.assertEqual(endorsement.state, 'submitted')
            with self.assertRaisesRegex(UserError, "Rejection Reason"):
                Endorsement.reject([endorsement])
            Endorsement.approve([endorsement])
            self.assertEqual(endorsement.state, 'approved')
            with self.assertRaises(UserError):
                Endorsement.approve([endorsement])

            correction = Endorsement(
                plan=plan, agency=plan.distributor, kind='data_correction',
                correction_subject='vehicle', current_value="Blue",
                new_value="Red", reason="Wrong colour")
            correction.save()
            with self.assertRaisesRegex(UserError, "Vehicle Invoice"):
                Endorsement.submit([correction])
            correction.correction_subject = 'customer'
            correction.attachments = [{'kind': 'official_id', 'data': b'id'}]
            correction.save()
            Endorsement.submit([correction])
            self.assertEqual(correction.state, 'submitted')

            cancellation = Endorsement(
                plan=plan, agency=plan.distributor,
                kind='plan_cancellation',
                cancellation_from=date(2025, 1, 1),
                charge_removed_from=date(2025, 1, 1))
            cancellation.save()
            Endorsement.submit([cancellation])

    @with_transaction()
    def test_endorsement_report(self):
        "The endorsement form renders"
        pool = Pool()
        Endorsement = pool.get('distributor.endorsement')
        Report = pool.get('distributor.endorsement', type='report')
        company, plan, _ = self.setup_office()
        with set_company(company):
            endorsement = Endorsement(
                plan=plan, agency=plan.distributor, kind='data_correction',
                correction_subject='customer', current_value="Jon",
                new_value="John", reason="Typo")
            endorsement.save()
            oext, content, _, name = Report.execute([endorsement.id], {})
            self.assertEqual(oext, 'odt')
            self.assertTrue(content)

    @with_transaction()
    def test_dealer_isolation(self):
        "Dealer users see and create only their dealer's records"
        pool = Pool()
        User = pool.get('res.user')
        Party = pool.get('party.party')
        Plan = pool.get('distributor.plan')
        Liquidation = pool.get('distributor.liquidation')
        Endorsement = pool.get('distributor.endorsement')
        ModelData = pool.get('ir.model.data')
        company, plan, _ = self.setup_office()
        other_dealer, = Party.create([{'name': "Dealer Two"}])
        with set_company(company):
            other_plan, = Plan.copy([plan], {
                    'distributor': other_dealer.id, 'member_code': '057'})
            liquidation = self.create_liquidation(plan)
            other_liquidation = self.create_liquidation(other_plan)
            Endorsement.create([{
                        'plan': p.id, 'agency': p.distributor.id,
                        'kind': 'plan_cancellation'}
                    for p in [plan, other_plan]])
        group_dealer = ModelData.get_id(
            'distributor_liquidation', 'group_dealer')
        group_staff = ModelData.get_id(
            'distributor_liquidation', 'group_distributor')
        dealer_user, staff_user = User.create([{
                    'login': 'dealer', 'distributor': plan.distributor.id,
                    'groups': [('add', [group_dealer])],
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    }, {
                    'login': 'staff',
                    'groups': [('add', [group_staff])],
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    }])
        transaction = Transaction()
        with transaction.set_user(dealer_user.id), \
                transaction.set_context(_check_access=True,
                    company=company.id):
            self.assertEqual(Plan.search([]), [plan])
            self.assertEqual(Liquidation.search([]), [liquidation])
            self.assertEqual(
                [e.agency for e in Endorsement.search([])],
                [plan.distributor])
            with self.assertRaises(AccessError):
                Liquidation.read([other_liquidation.id], ['folio'])
            own, = Liquidation.create([{
                        'plan': plan.id, 'customer': plan.customer.id,
                        'distributor': plan.distributor.id,
                        'currency': plan.currency.id}])
            with self.assertRaises(AccessError):
                Liquidation.create([{
                            'plan': other_plan.id,
                            'customer': other_plan.customer.id,
                            'distributor': other_dealer.id,
                            'currency': plan.currency.id}])
        with transaction.set_user(staff_user.id), \
                transaction.set_context(_check_access=True,
                    company=company.id):
            self.assertEqual(len(Plan.search([])), 2)
            self.assertEqual(len(Liquidation.search([])), 4)
            self.assertEqual(len(Endorsement.search([])), 2)


    @with_transaction()
    def test_dealer_sees_only_its_parties(self):
        "Dealers read their own party and their plans' customers only"
        pool = Pool()
        User = pool.get('res.user')
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        Plan = pool.get('distributor.plan')
        ModelData = pool.get('ir.model.data')
        company, plan, _ = self.setup_office()
        other_dealer, other_customer, nobody = Party.create([
                {'name': "Dealer Two"},
                {'name': "Customer Two", 'addresses': [('create', [{}])]},
                {'name': "Unrelated"},
                ])
        with set_company(company):
            Plan.copy([plan], {
                    'distributor': other_dealer.id,
                    'customer': other_customer.id,
                    'member_code': '057'})
        dealer_user, other_user = User.create([{
                    'login': login, 'distributor': dealer.id,
                    'groups': [('add', [ModelData.get_id(
                                    'distributor_liquidation',
                                    'group_dealer')])],
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    } for login, dealer in [
                    ('dealer', plan.distributor),
                    ('dealer2', other_dealer)]])
        transaction = Transaction()
        with transaction.set_user(dealer_user.id), \
                transaction.set_context(_check_access=True,
                    company=company.id):
            self.assertEqual(set(Party.search([])),
                {plan.distributor, plan.customer})
            self.assertEqual(
                Party.read([plan.customer.id], ['name']),
                [{'id': plan.customer.id, 'name': "Customer One"}])
            for party in [other_customer, other_dealer, nobody]:
                with self.assertRaises(AccessError):
                    Party.read([party.id], ['name'])
            with self.assertRaises(AccessError):
                Party.write([other_customer], {'name': "Renamed"})
            # the addresses follow their party
            self.assertEqual(
                {a.party for a in Address.search([])}, {plan.customer})
            self.assertEqual(
                Plan.read([plan.id], ['customer.rec_name'])[0]['customer.'],
                {'id': plan.customer.id, 'rec_name': "Customer One"})
        with transaction.set_user(other_user.id), \
                transaction.set_context(_check_access=True,
                    company=company.id):
            with self.assertRaises(AccessError):
                Party.read([plan.customer.id], ['name'])
        # the rest of the users see every party
        self.assertEqual(Party(other_customer.id).name, "Customer Two")

    def create_invoice(self, company, party, type_='in'):
        "Create a draft invoice of party without origin"
        pool = Pool()
        Account = pool.get('account.account')
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        account, = Account.search([
                ('type.expense', '=', True), ('closed', '!=', True),
                ('company', '=', company.id)], limit=1)
        invoice = Invoice(company=company, type=type_, party=party,
            invoice_address=party.address_get(), currency=company.currency,
            account=party.account_payable_used)
        invoice.set_journal()
        invoice.lines = [Line(type='line', company=company,
                currency=company.currency, invoice_type=type_, party=party,
                quantity=1, unit_price=Decimal(100), account=account,
                description="Workshop")]
        invoice.save()
        return invoice

    @with_transaction()
    def test_desk_reads_only_liquidation_invoices(self):
        "The desk issues and follows its invoices and reads no other"
        pool = Pool()
        User = pool.get('res.user')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Liquidation = pool.get('distributor.liquidation')
        ModelData = pool.get('ir.model.data')
        company, plan, _ = self.setup_office(with_accounting=True)
        with set_company(company):
            other = self.create_invoice(company, plan.customer)
            liquidation = self.create_liquidation(
                plan, agreed_amount=Decimal('98000'))
            Liquidation.register([liquidation])

        def group(module, xml_id):
            return ModelData.get_id(module, xml_id)
        desk, accountant = User.create([{
                    'login': 'desk',
                    'groups': [('add', [
                                group('distributor_liquidation',
                                    'group_distributor'),
                                group('distributor_liquidation',
                                    'group_distributor_account')])],
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    }, {
                    'login': 'accountant',
                    'groups': [('add', [group('account', 'group_account')])],
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    }])
        transaction = Transaction()
        with transaction.set_user(desk.id), \
                transaction.set_context(_check_access=True,
                    company=company.id):
            Liquidation.request_payment([Liquidation(liquidation.id)])
            liquidation = Liquidation(liquidation.id)
            invoice = liquidation.invoice
            self.assertEqual(Invoice.search([]), [invoice])
            self.assertEqual(
                Invoice.read([invoice.id], ['state', 'amount_to_pay']),
                [{'id': invoice.id, 'state': 'posted',
                        'amount_to_pay': Decimal('98000')}])
            self.assertEqual(
                InvoiceLine.search([]), list(invoice.lines))
            with self.assertRaises(AccessError):
                Invoice.read([other.id], ['state'])
            with self.assertRaises(AccessError):
                InvoiceLine.read([other.lines[0].id], ['amount'])
            with self.assertRaises(AccessError):
                Invoice.write([invoice], {'reference': "X"})
        with transaction.set_user(accountant.id), \
                transaction.set_context(_check_access=True,
                    company=company.id):
            self.assertEqual(set(Invoice.search([])), {invoice, other})


del ModuleTestCase
