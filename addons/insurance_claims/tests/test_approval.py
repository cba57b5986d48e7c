# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import threading
import unittest
from decimal import Decimal

from trytond import backend
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.insurance_claims.exceptions import ApprovalSignError
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, ModuleTestCase, activate_module, with_transaction)
from trytond.transaction import Transaction

from .tools import (
    NOW, checked_as, create_claim, create_line, create_policy, create_region)

LEVEL_GROUPS = {
    1: 'group_claims_executive',
    2: 'group_claims_regional_head',
    3: 'group_claims_deputy_manager',
    4: 'group_claims_technical_manager',
    5: 'group_claims_general_manager',
    }


def fixed_now(moment=NOW):
    return Transaction().set_context(_insurance_now=moment)


def create_user(login, group, regions=(), company=None):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user = User(login=login, name=login.title(), email='%s@example.com' % login,
        groups=[ModelData.get_id('insurance_claims', group)],
        insurance_regions=list(regions))
    if company:
        user.companies = [company]
        user.company = company
    user.save()
    return user


def add_rate(currency, rate, date=dt.date(2026, 1, 1)):
    Rate = Pool().get('currency.currency.rate')
    Rate(currency=currency, rate=Decimal(rate), date=date).save()


class ApprovalMixin:

    def setup_office(self):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        company = create_company()
        add_rate(company.currency, 1)
        config = Configuration(1)
        config.approval_currency = company.currency
        config.save()
        region = create_region('LPZ')
        line = create_line()
        policy = create_policy(company, line, region,
            amounts=(Decimal(100000), Decimal(50000)))
        users = {n: create_user('level%s' % n, g, [region], company)
            for n, g in LEVEL_GROUPS.items()}
        users['national'] = create_user(
            'national', 'group_claims_national_office', [region], company)
        users['other1'] = create_user(
            'other1', 'group_claims_executive', [region], company)
        return company, region, policy, users

    def setup_office_unique(self):
        "The office of setup_office with names that do not collide"
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        Currency = pool.get('currency.currency')
        Party = pool.get('party.party')
        Company = pool.get('company.company')
        suffix = dt.datetime.now().strftime('%H%M%S%f')
        currency = Currency(name="Concurrency %s" % suffix,
            code='X%s' % suffix[-2:], symbol='X')
        currency.save()
        add_rate(currency, 1)
        party = Party(name="Concurrency Co %s" % suffix)
        party.save()
        company = Company(party=party, currency=currency)
        company.save()
        config = Configuration(1)
        config.approval_currency = currency
        config.save()
        region = create_region('C%s' % suffix[-6:])
        line = create_line('C%s' % suffix[-6:])
        policy = create_policy(company, line, region,
            number='CONC-%s' % suffix)
        users = {
            1: create_user('conc1%s' % suffix, LEVEL_GROUPS[1], [region],
                company),
            2: create_user('conc3%s' % suffix, LEVEL_GROUPS[2], [region],
                company),
            'other1': create_user('conc2%s' % suffix, LEVEL_GROUPS[1],
                [region], company),
            }
        return company, region, policy, users

    def open_claim(self, policy, region, amount, **values):
        Claim = Pool().get('insurance.claim')
        claim = create_claim(policy, region, damage_estimate=Decimal(amount),
            **values)
        Claim.register([claim])
        return claim

    def sign(self, step, user, **values):
        Step = Pool().get('insurance.claim.approval.step')
        with Transaction().set_user(user.id):
            if values:
                Step.write([step], values)
            Step.sign([step])

    def steps(self, approval):
        Approval = Pool().get('insurance.claim.approval')
        return sorted(Approval(approval.id).steps, key=lambda s: s.sequence)


class ApprovalTestCase(ApprovalMixin, ModuleTestCase):
    "Test the approval engine"
    module = 'insurance_claims'

    @with_transaction()
    def test_required_levels_boundaries(self):
        "The table of the norm: every level up to the highest reached"
        Level = Pool().get('insurance.approval.level')
        for amount, top in [
                (1, 2), (2000, 2), (3000, 2), (3001, 3), (10000, 3),
                (10001, 4), (15000, 4), (20000, 4), (20001, 5),
                (25000, 5)]:
            levels = [l.level for l in Level.required_levels(Decimal(amount))]
            self.assertEqual(levels, list(range(1, top + 1)), amount)

    @with_transaction()
    def test_rounds_boundaries_usd_and_bob(self):
        "Rounds of claims in USD and in BOB converted at the claim's date"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Currency = pool.get('currency.currency')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            for amount, top in [(3000, 2), (3001, 3), (10000, 3),
                    (10001, 4), (20000, 4), (20001, 5)]:
                claim = self.open_claim(policy, region, amount)
                Claim.request_approval([claim])
                approval, = claim.approvals
                self.assertEqual(approval.top_level, top, amount)
                self.assertEqual(
                    [s.level.level for s in self.steps(approval)],
                    list(range(1, top + 1)))
                self.assertEqual(claim.state, 'approval')

            bob = Currency(name="Boliviano", code='BOB', symbol='Bs')
            bob.save()
            claim = self.open_claim(policy, region, 20880, currency=bob)
            with self.assertRaises(UserError) as cm:
                Claim.request_approval([claim])
            self.assertIn('BOB', str(cm.exception))
            add_rate(bob, '6.96')
            Claim.request_approval([claim])
            approval, = claim.approvals
            self.assertEqual(approval.amount_approval_currency,
                Decimal('3000.00'))
            self.assertEqual(approval.top_level, 2)
            claim = self.open_claim(policy, region, 20888, currency=bob)
            Claim.request_approval([claim])
            approval, = claim.approvals
            self.assertEqual(approval.top_level, 3)

    @with_transaction()
    def test_sign_in_order_higher_level_four_eyes(self):
        "Levels sign in order; a higher level may sign; one step a person"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 15000)
            Claim.request_approval([claim])
            approval, = claim.approvals
            s1, s2, s3, s4 = self.steps(approval)
            self.assertEqual([s.state for s in (s1, s2, s3, s4)],
                ['to_sign', 'waiting', 'waiting', 'waiting'])
            # out of order
            with self.assertRaises(UserError):
                self.sign(s2, users[2])
            # a level 1 holder may not sign level 3
            self.sign(s1, users[1])
            with self.assertRaises(UserError):
                self.sign(s2, users['other1'])
            # four-eyes
            with self.assertRaises(UserError):
                self.sign(s2, users[1])
            # a higher level signs a lower step
            self.sign(s2, users[3])
            s2 = self.steps(approval)[1]
            self.assertEqual((s2.state, s2.signed_by, s2.signer_level),
                ('signed', users[3], 3))
            with self.assertRaises(UserError):
                self.sign(s3, users[3])
            self.sign(s3, users[5])
            # the last step needs an adjuster or a waiver at level 4
            with self.assertRaises(UserError) as cm:
                self.sign(s4, users[4])
            self.assertIn('adjuster', str(cm.exception).lower())
            self.sign(s4, users[4], waive_adjuster=True,
                comment="Small loss, workshop estimate enough")
            claim = Claim(claim.id)
            self.assertEqual(claim.state, 'approved')
            approval = claim.approvals[0]
            self.assertEqual(approval.state, 'approved')
            self.assertEqual(approval.adjuster_waived_by, users[4])
            self.assertEqual(claim.approved_amount, Decimal(15000))
            # signing twice is refused
            with self.assertRaises(UserError):
                self.sign(self.steps(approval)[3], users[5])

    @with_transaction()
    def test_four_eyes_switch(self):
        "Without four-eyes one holder may sign every step"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Configuration = pool.get('insurance.configuration')
        company, region, policy, users = self.setup_office()
        config = Configuration(1)
        config.approval_four_eyes = False
        config.save()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2000)
            Claim.request_approval([claim])
            for step in self.steps(claim.approvals[0]):
                self.sign(step, users[5])
            self.assertEqual(Claim(claim.id).state, 'approved')

    @with_transaction()
    def test_delegation_dates(self):
        "A delegate signs for the holder only inside the delegation dates"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Delegation = pool.get('insurance.approval.delegation')
        company, region, policy, users = self.setup_office()
        delegate = users['other1']
        Delegation(from_user=users[3], to_user=delegate,
            start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 9),
            reason="Vacation", reference="CI-12/2026").save()
        with self.assertRaises(UserError):
            Delegation(from_user=users[3], to_user=delegate,
                start_date=dt.date(2026, 3, 9),
                end_date=dt.date(2026, 3, 1), reason="x").save()
        with set_company(company):
            with fixed_now():
                claim = self.open_claim(policy, region, 5000)
                Claim.request_approval([claim])
                s1, s2, s3 = self.steps(claim.approvals[0])
                self.sign(s1, users[1])
                self.sign(s2, users[2])
            # after the end date
            with fixed_now(dt.datetime(2026, 3, 10, 9)):
                with self.assertRaises(UserError):
                    self.sign(s3, delegate)
            # inside the dates
            with fixed_now(dt.datetime(2026, 3, 9, 23)):
                self.sign(s3, delegate)
            s3 = self.steps(claim.approvals[0])[2]
            self.assertEqual(
                (s3.signed_by, s3.on_behalf_of, s3.signer_level),
                (delegate, users[3], 3))
            self.assertEqual(Claim(claim.id).state, 'approved')
            # before the start date
            with fixed_now(dt.datetime(2026, 2, 28, 12)):
                claim = self.open_claim(policy, region, 5000,
                    notified_at=dt.datetime(2026, 2, 28, 10),
                    occurred_at=dt.datetime(2026, 2, 27, 10))
                Claim.request_approval([claim])
                s1, s2, s3 = self.steps(claim.approvals[0])
                self.sign(s1, users[1])
                self.sign(s2, users[2])
                with self.assertRaises(UserError):
                    self.sign(s3, delegate)

    @with_transaction()
    def test_reject_with_reason(self):
        "A rejection needs a reason and returns the claim to open"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Step = pool.get('insurance.claim.approval.step')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2500)
            Claim.request_approval([claim])
            s1, s2 = self.steps(claim.approvals[0])
            self.sign(s1, users[1])
            with Transaction().set_user(users[2].id):
                with self.assertRaises(UserError):
                    Step.reject([s2])
                Step.write([s2], {'comment': "Not covered: wear and tear"})
                Step.reject([s2])
            claim = Claim(claim.id)
            self.assertEqual(claim.state, 'open')
            self.assertEqual(claim.approval_rejection_reason,
                "Not covered: wear and tear")
            self.assertEqual(claim.approvals[0].state, 'rejected')
            # a new round can be requested
            Claim.request_approval([claim])
            self.assertEqual(
                sorted(r.state for r in Claim(claim.id).approvals),
                ['pending', 'rejected'])

    @with_transaction()
    def test_immutable(self):
        "Signed steps and decided rounds cannot change; no manual rounds"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Step = pool.get('insurance.claim.approval.step')
        Approval = pool.get('insurance.claim.approval')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2500)
            Claim.request_approval([claim])
            approval, = claim.approvals
            s1, s2 = self.steps(approval)
            self.sign(s1, users[1])
            with self.assertRaises(UserError):
                Step.write([Step(s1.id)], {'comment': "changed"})
            with self.assertRaises(UserError):
                Step.delete([s1])
            with self.assertRaises(UserError):
                Approval.write([approval], {'amount': Decimal(1)})
            with self.assertRaises(UserError):
                Approval.delete([approval])
            # a signer may not write on a step he cannot sign
            with Transaction().set_user(users['other1'].id):
                with self.assertRaises(UserError):
                    Step.write([s2], {'comment': "x"})
            self.sign(s2, users[2])
            with self.assertRaises(UserError):
                Approval.cancel([Approval(approval.id)])
            # last: on PostgreSQL the refused insert aborts the transaction
            with self.assertRaises(UserError):
                Approval.create([{'claim': claim.id, 'kind': 'claim',
                            'amount': Decimal(1)}])

    @with_transaction()
    def test_conditions(self):
        "The approvers' conditions are kept on the round and bind payments"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, policy, users = self.setup_office()
        coverage = policy.coverages[0]
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2500)
            Claim.request_approval([claim])
            s1, s2 = self.steps(claim.approvals[0])
            self.sign(s1, users[1], condition_amount=Decimal(2400),
                condition_text="Pay the workshop directly")
            self.sign(s2, users[2], condition_amount=Decimal(2300),
                condition_coverage=coverage.id,
                condition_text="Deductible discounted from the order")
            claim = Claim(claim.id)
            approval, = claim.approvals
            self.assertEqual(approval.condition_amount, Decimal(2300))
            self.assertEqual(approval.condition_coverage, coverage)
            self.assertIn("workshop directly", approval.condition_text)
            self.assertIn("Deductible", approval.condition_text)
            conditions = claim.approval_conditions()
            self.assertEqual(conditions['amount'], Decimal(2300))
            self.assertEqual(conditions['approved_amount'], Decimal(2500))
            self.assertEqual(conditions['coverages'], [coverage])

    @with_transaction()
    def test_words_of_the_signer(self):
        "A step is signed only with the signer's own comment and conditions"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2500)
            Claim.request_approval([claim])
            s1, s2 = self.steps(claim.approvals[0])
            with checked_as(users['other1'], company):
                Step = pool.get('insurance.claim.approval.step')
                Step.write([Step(s1.id)], {
                        'comment': "Approved as agreed by phone",
                        'condition_amount': Decimal(2000),
                        })
            with self.assertRaisesRegex(
                    ApprovalSignError, "only the signer writes them"):
                self.sign(s1, users[1])
            self.assertEqual(self.steps(claim.approvals[0])[0].state,
                'to_sign')
            self.sign(s1, users[1], comment="Checked the invoice myself")
            s1, _ = self.steps(claim.approvals[0])
            self.assertEqual(s1.state, 'signed')
            self.assertEqual(s1.words_by, users[1])

    def approve_all(self, approval, users, waiver=True):
        signers = [users[5], users[4], users[3], users[2], users[1]]
        for step in self.steps(approval):
            values = {}
            if step.level and step.level.level >= 4 and waiver:
                values = {'waive_adjuster': True, 'comment': "No adjuster"}
            signer = next(u for u in signers
                if step.level is None or u == users[step.level.level]
                or u.id not in [s.signed_by.id for s in self.steps(approval)
                    if s.signed_by])
            self.sign(step, users[step.level.level] if step.level else signer,
                **values)

    @with_transaction()
    def test_reserve_change_tolerance(self):
        "After a level-5 approval a change within 15 % needs only level 4"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Reserve = pool.get('insurance.claim.reserve')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 30000)
            Claim.request_approval([claim])
            self.approve_all(claim.approvals[0], users)
            claim = Claim(claim.id)
            self.assertEqual(claim.state, 'approved')
            with self.assertRaises(UserError):
                Reserve(claim=claim, amount=Decimal(31000), kind='adjustment',
                    reason="more").save()

            claim.requested_reserve = Decimal('34500')   # +15 %
            claim.reserve_change_reason = "Parts price increase"
            claim.save()
            Claim.request_reserve_change([claim])
            change, = [r for r in Claim(claim.id).approvals
                if r.kind == 'reserve_change']
            self.assertEqual([s.level.level for s in change.steps], [4])
            self.approve_all(change, users)
            claim = Claim(claim.id)
            self.assertEqual(claim.reserve_amount, Decimal('34500'))
            self.assertEqual(claim.approved_amount, Decimal('34500'))
            change = [r for r in claim.approvals
                if r.kind == 'reserve_change'][0]
            self.assertEqual(change.origin.__name__,
                'insurance.claim.reserve')

            # 15.01 % of the level-5 amount: the full chain
            claim.requested_reserve = Decimal('34503')
            claim.reserve_change_reason = "Additional damage"
            claim.save()
            Claim.request_reserve_change([claim])
            change, = [r for r in Claim(claim.id).approvals
                if r.kind == 'reserve_change' and r.state == 'pending']
            self.assertEqual([s.level.level for s in change.steps],
                [1, 2, 3, 4, 5])
            # a decrease within 15 % needs level 4 only
            Pool().get('insurance.claim.approval').cancel([change])
            claim.requested_reserve = Decimal('25500')
            claim.save()
            Claim.request_reserve_change([claim])
            change, = [r for r in Claim(claim.id).approvals
                if r.kind == 'reserve_change' and r.state == 'pending']
            self.assertEqual([s.level.level for s in change.steps], [4])

    @with_transaction()
    def test_reserve_change_without_top_level(self):
        "A change of a claim approved below level 5 needs its full chain"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2000)
            Claim.request_approval([claim])
            self.approve_all(claim.approvals[0], users)
            claim = Claim(claim.id)
            claim.requested_reserve = Decimal('2200')
            claim.reserve_change_reason = "More"
            claim.save()
            Claim.request_reserve_change([claim])
            change, = [r for r in Claim(claim.id).approvals
                if r.kind == 'reserve_change']
            self.assertEqual([s.level.level for s in change.steps], [1, 2])

    @with_transaction()
    def test_extraordinary_thresholds(self):
        "Up to 4,000 level 3, above level 4; adjusters are not extraordinary"
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        Party = pool.get('party.party')
        Adjuster = pool.get('insurance.adjuster')
        Configuration = pool.get('insurance.configuration')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2000)
            for amount, levels in [('4000', [3]), ('4000.01', [4])]:
                approval = Approval.create_round(
                    claim, 'extraordinary_expense', Decimal(amount))
                self.assertEqual(
                    [s.level.level for s in approval.steps], levels)
            firm = Party(name="Ajustes Demo SRL")
            firm.save()
            Adjuster(party=firm, kind='adjuster').save()
            with self.assertRaises(UserError):
                Approval.create_round(claim, 'extraordinary_expense',
                    Decimal(500), payee=firm)
            auditor = Party(name="Auditor Médico Demo",
                insurance_contracted_provider=True)
            auditor.save()
            with self.assertRaises(UserError):
                Approval.create_round(claim, 'extraordinary_expense',
                    Decimal(500), payee=auditor)
            config = Configuration(1)
            config.extraordinary_threshold = Decimal(5000)
            config.save()
            approval = Approval.create_round(
                claim, 'extraordinary_expense', Decimal('4500'))
            self.assertEqual([s.level.level for s in approval.steps], [3])
            # the general manager signs a level-4 expense as a higher level
            approval = Approval.create_round(
                claim, 'extraordinary_expense', Decimal('6000'))
            self.sign(approval.steps[0], users[5])
            self.assertEqual(Approval(approval.id).state, 'approved')
            # a work order round signed by levels 1 and 2
            approval = Approval.create_round(
                claim, 'work_order', Decimal('900'), levels=[1, 2])
            self.assertEqual(
                [s.level.level for s in approval.steps], [1, 2])
            with self.assertRaises(UserError):
                Approval.create_round(claim, 'work_order', Decimal(0))

    @with_transaction()
    def test_level3_digitized_and_mail(self):
        "From level 3 the file must be digitized and approvers e-mailed"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Document = pool.get('insurance.claim.document')
        Notification = pool.get('res.notification')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 5000)
            document = Document(claim=claim, name="Police report",
                mandatory=True)
            document.save()
            Document.write([document], {'state': 'received',
                    'received_on': NOW.date()})
            with self.assertRaises(UserError) as cm:
                Claim.request_approval([claim])
            self.assertIn("Police report", str(cm.exception))
            document.attachment = b'%PDF-1.4'
            document.attachment_name = 'police.pdf'
            document.save()
            claim.approval_analysis = "Rear collision, covered."
            claim.digital_file_url = "https://files.example.com/SIN-1"
            claim.save()
            Claim.request_approval([claim])
            approval, = claim.approvals
            self.assertEqual(approval.mail_subject,
                'Claim %s & policy POL-1 — Insured POL-1 — '
                'Toyota Hilux 2022, plate 1234-ABC' % claim.number)
            self.assertIn("Rear collision, covered.", approval.mail_body)
            self.assertIn("https://files.example.com/SIN-1",
                approval.mail_body)
            notified = Notification.search(
                [('label', '=', approval.mail_subject)])
            self.assertLessEqual(
                {users[1], users[2], users[3], users['other1']},
                {n.user for n in notified})
            self.assertNotIn(users[4], {n.user for n in notified})
            self.assertIn(users[3], {n.user for n in notified})

    @with_transaction()
    def test_level4_region_manager(self):
        "From level 4 the issuing region's manager is informed"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        Notification = pool.get('res.notification')
        company, region, policy, users = self.setup_office()
        party = Party(name="Regional Manager")
        party.save()
        manager = Employee(party=party, company=company)
        manager.save()
        region.manager = manager
        region.save()
        manager_user = create_user('manager', 'group_claims_executive',
            [region], company)
        manager_user.employees = [manager]
        manager_user.save()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 12000)
            Claim.request_approval([claim])
            self.assertTrue(Notification.search([
                        ('user', '=', manager_user.id),
                        ('label', 'like', '%level 4%'),
                        ]))

    @with_transaction()
    def test_reopen_national_office_only(self):
        "Only the national claims office approves a reopening"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Reopen = pool.get('insurance.claim.reopen')
        Step = pool.get('insurance.claim.approval.step')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2000)
            claim.decline_reason = "Excluded"
            claim.save()
            Claim.decline([claim])
            reopen = Reopen(claim=claim, requested_reserve=Decimal(250),
                description="Antenna stolen", reason="Hidden damage found")
            reopen.save()
            self.assertEqual(reopen.region, region)
            self.assertEqual(reopen.occurred_on, claim.occurred_at.date())
            self.assertEqual(reopen.close_date, claim.decided_at.date())
            Reopen.request([reopen])
            self.assertEqual(reopen.state, 'requested')
            step, = reopen.approval.steps
            for user in [users[5], users['other1']]:
                with Transaction().set_context(
                        _check_access=True, company=company.id), \
                        Transaction().set_user(user.id):
                    with self.assertRaises((AccessError, UserError)):
                        Reopen.approve([Reopen(reopen.id)])
                    with self.assertRaises((AccessError, UserError)):
                        Step.sign([Step(step.id)])
            self.assertEqual(Claim(claim.id).state, 'declined')
            with Transaction().set_context(
                    _check_access=True, company=company.id), \
                    Transaction().set_user(users['national'].id):
                Reopen.approve([Reopen(reopen.id)])
            claim = Claim(claim.id)
            self.assertEqual(claim.state, 'open')
            self.assertEqual(claim.reserve_amount, Decimal(250))
            self.assertEqual(
                sorted(claim.reserves, key=lambda r: r.id)[-1].kind, 'reopen')
            self.assertEqual(Reopen(reopen.id).state, 'approved')

    @with_transaction()
    def test_access_checks(self):
        "With access checks, a lower level is refused by the code"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Step = pool.get('insurance.claim.approval.step')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 5000)
            Claim.request_approval([claim])
            s1, s2, s3 = self.steps(claim.approvals[0])
            context = {'_check_access': True, 'company': company.id}
            for step, user in [(s1, users[1]), (s2, users[2])]:
                with Transaction().set_context(**context), \
                        Transaction().set_user(user.id):
                    Step.sign([Step(step.id)])
            with Transaction().set_context(**context), \
                    Transaction().set_user(users['other1'].id):
                with self.assertRaises(UserError):
                    Step.sign([Step(s3.id)])
            with Transaction().set_context(**context), \
                    Transaction().set_user(users[3].id):
                Step.sign([Step(s3.id)])
            self.assertEqual(Claim(claim.id).state, 'approved')

    @with_transaction()
    def test_decline_cancels_round(self):
        "Declining a claim in approval cancels its pending round"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2000)
            Claim.request_approval([claim])
            claim.decline_reason = "Fraud"
            claim.save()
            Claim.decline([claim])
            self.assertEqual(Claim(claim.id).approvals[0].state, 'cancelled')

    @with_transaction()
    def test_resolution_report(self):
        "The claim resolution prints the decision and the signatures"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Report = pool.get('insurance.claim.resolution', type='report')
        company, region, policy, users = self.setup_office()
        with set_company(company), fixed_now():
            claim = self.open_claim(policy, region, 2000)
            Claim.request_approval([claim])
            approval = claim.approvals[0]
            s1, s2 = self.steps(approval)
            self.sign(s1, users[1], condition_text="Pay the workshop")
            self.sign(s2, users[2])
            oext, content, _, name = Report.execute([approval.id], {})
            self.assertIn(oext, {'odt', 'pdf'})
            self.assertTrue(content)


@unittest.skipUnless(backend.name == 'postgresql',
    "concurrent signatures need two database connections with row locks: "
    "SQLite in memory has a single connection")
class ApprovalConcurrencyTestCase(ApprovalMixin, unittest.TestCase):
    "Two approvers clicking at once sign once"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('insurance_claims')

    def test_concurrent_sign(self):
        "Two connections sign the same step: one signature is recorded"
        from trytond.transaction import TransactionError
        pool = Pool(DB_NAME)
        extras = {}
        while True:
            # creating a company takes table locks: restart with them
            with Transaction().start(DB_NAME, 0, **extras) as transaction:
                try:
                    Step = pool.get('insurance.claim.approval.step')
                    Claim = pool.get('insurance.claim')
                    company, region, policy, users = (
                        self.setup_office_unique())
                    with set_company(company), fixed_now():
                        claim = self.open_claim(policy, region, 2000)
                        Claim.request_approval([claim])
                        step = self.steps(claim.approvals[0])[0]
                    step_id, claim_id = step.id, claim.id
                    signer_ids = [users[1].id, users['other1'].id]
                    transaction.commit()
                except TransactionError as exception:
                    transaction.rollback()
                    exception.fix(extras)
                    continue
            break
        try:
            self._race(step_id, claim_id, signer_ids, company.id)
        finally:
            with Transaction().start(DB_NAME, 0) as transaction:
                Configuration = pool.get('insurance.configuration')
                User = pool.get('res.user')
                config = Configuration(1)
                config.approval_currency = None
                config.save()
                User.write(User.browse(signer_ids), {'active': False})
                transaction.commit()

    def _race(self, step_id, claim_id, signer_ids, company_id):
        pool = Pool(DB_NAME)

        barrier = threading.Barrier(2)
        results = {}

        def sign(user_id):
            extras = {}
            barrier.wait()
            while True:
                try:
                    with Transaction().start(DB_NAME, user_id,
                            context={'company': company_id},
                            **extras) as transaction:
                        try:
                            Step = pool.get('insurance.claim.approval.step')
                            Step.sign([Step(step_id)])
                            transaction.commit()
                            results[user_id] = 'signed'
                        except Exception as exception:
                            from trytond.transaction import TransactionError
                            if isinstance(exception, TransactionError):
                                transaction.rollback()
                                exception.fix(extras)
                                continue
                            raise
                    break
                except backend.DatabaseOperationalError:
                    results[user_id] = 'locked'
                    break
                except UserError as exception:
                    results[user_id] = 'refused: %s' % exception
                    break

        threads = [threading.Thread(target=sign, args=(u,))
            for u in signer_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(results), sorted(signer_ids))
        self.assertEqual(
            [r for r in results.values() if r == 'signed'], ['signed'])

        with Transaction().start(DB_NAME, 0):
            Step = pool.get('insurance.claim.approval.step')
            Claim = pool.get('insurance.claim')
            step = Step(step_id)
            self.assertEqual(step.state, 'signed')
            self.assertIn(step.signed_by.id, signer_ids)
            history = Step.history_revisions([step_id]) if hasattr(
                Step, 'history_revisions') else []
            self.assertLessEqual(
                len([h for h in history if h]), 3)
            self.assertEqual(Claim(claim_id).state, 'approval')


del ModuleTestCase
