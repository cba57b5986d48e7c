# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from decimal import Decimal
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    NOW, checked_as, create_claim, create_line, create_policy, create_region)


def fixed_now(moment=NOW):
    return Transaction().set_context(_insurance_now=moment)


class InsuranceClaimsTestCase(ModuleTestCase):
    "Test Insurance Claims module"
    module = 'insurance_claims'

    def setup_claim(self, **values):
        company = create_company()
        region = create_region('LPZ')
        line = create_line()
        policy = create_policy(company, line, region,
            **values.pop('policy', {}))
        return company, region, line, policy

    @with_transaction()
    def test_initial_reserve_ten_percent(self):
        "Reserve is 10 % of the affected coverages, marked estimated"
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            Claim = Pool().get('insurance.claim')
            claim = create_claim(policy, region)
            self.assertEqual(claim.initial_reserve_amount(),
                (Decimal('15000.00'), True))
            Claim.register([claim])
            self.assertTrue(claim.number)
            self.assertEqual(claim.state, 'open')
            self.assertEqual(claim.reserve_amount, Decimal('15000.00'))
            self.assertTrue(claim.reserve_estimated)
            reserve, = claim.reserves
            self.assertEqual(reserve.kind, 'initial')
            self.assertEqual(reserve.user.id, Transaction().user)

            claim.damage_estimate = Decimal('8000')
            claim.save()
            self.assertEqual(claim.reserve_amount, Decimal('8000'))
            self.assertFalse(claim.reserve_estimated)
            claim.damage_estimate = Decimal('9500')
            claim.save()
            self.assertEqual(
                [r.kind for r in sorted(claim.reserves, key=lambda r: r.id)],
                ['initial', 'estimate', 'adjustment'])
            self.assertEqual(claim.outstanding_reserve, Decimal('9500'))

    @with_transaction()
    def test_initial_reserve_from_estimate(self):
        "With a damage estimate the reserve equals it"
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            Claim = Pool().get('insurance.claim')
            claim = create_claim(policy, region,
                damage_estimate=Decimal('4200'))
            Claim.register([claim])
            self.assertEqual(claim.reserve_amount, Decimal('4200'))
            self.assertFalse(claim.reserve_estimated)

    @with_transaction()
    def test_reserve_changes_stored(self):
        "Each reserve line stores its change; a back-dated line moves the next"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Reserve = pool.get('insurance.claim.reserve')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            Claim.register([claim])
            initial, = claim.reserves
            later, = Reserve.create([{
                        'claim': claim.id, 'kind': 'adjustment',
                        'amount': Decimal('20000'), 'reason': "Peritaje",
                        'date': initial.date + dt.timedelta(days=10)}])
            between, = Reserve.create([{
                        'claim': claim.id, 'kind': 'adjustment',
                        'amount': Decimal('12000'), 'reason': "Presupuesto",
                        'date': initial.date + dt.timedelta(days=5)}])
            initial, later, between = Reserve.browse(
                [initial.id, later.id, between.id])
            self.assertEqual(
                [(r.change, bool(r.first)) for r in [initial, between, later]],
                [(Decimal('15000.00'), True), (Decimal('-3000.00'), False),
                    (Decimal('8000.00'), False)])
            self.assertEqual(
                {(r.company, r.region, r.line) for r in claim.reserves},
                {(company, region, line)})
            claim = Claim(claim.id)
            self.assertEqual(claim.reserve_amount, Decimal('20000'))
            self.assertFalse(claim.reserve_estimated)
            self.assertEqual(
                sum(r.change for r in claim.reserves), claim.reserve_amount)

            other = create_region('CBB')
            Claim.write([claim], {'occurrence_region': other.id})
            self.assertEqual(
                {r.region for r in Reserve.browse([r.id for r in
                            claim.reserves])}, {other})

    @with_transaction()
    def test_reserve_history_immutable(self):
        "Reserve lines cannot be changed or deleted and need a reason"
        pool = Pool()
        Reserve = pool.get('insurance.claim.reserve')
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            Claim.register([claim])
            reserve, = claim.reserves
            with self.assertRaises(UserError):
                Reserve.write([reserve], {'amount': Decimal(1)})
            with self.assertRaises(UserError):
                Reserve.delete([reserve])
            with self.assertRaises(UserError):
                Reserve.create([{'claim': claim.id, 'amount': Decimal(10),
                            'kind': 'adjustment'}])
            with self.assertRaises(UserError):
                Reserve.create([{'claim': claim.id, 'amount': Decimal(-1),
                            'kind': 'adjustment', 'reason': "x"}])

    @with_transaction()
    def test_reserve_regularization_deadline(self):
        "A known estimate opens a 7-day deadline met by the new reserve"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            Claim.register([claim])
            claim.estimate_known_on = NOW.date()
            claim.save()
            deadline, = [d for d in claim.deadlines
                if d.kind == 'reserve_regularization']
            self.assertEqual(deadline.state, 'pending')
            self.assertEqual(deadline.due.date(),
                NOW.date() + dt.timedelta(days=7))
            claim.damage_estimate = Decimal('3000')
            claim.save()
            deadline, = [d for d in claim.deadlines
                if d.kind == 'reserve_regularization']
            self.assertEqual(deadline.state, 'met')

    @with_transaction()
    def test_checklist_filtering(self):
        "Checklist follows line, scenario and party kind"
        pool = Pool()
        Requirement = pool.get('insurance.line.requirement')
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        other = create_line('OTH')
        Requirement.delete(Requirement.search([]))
        Requirement.create([
                {'name': "General", 'line': None},
                {'name': "Line", 'line': line.id},
                {'name': "Other line", 'line': other.id},
                {'name': "Natural", 'line': line.id,
                    'party_kind': 'natural'},
                {'name': "Total loss", 'line': line.id,
                    'scenario': 'total_loss_accident'},
                {'name': "Total loss legal", 'line': line.id,
                    'scenario': 'total_loss_accident', 'party_kind': 'legal'},
                {'name': "Total loss state", 'line': line.id,
                    'scenario': 'total_loss_accident', 'party_kind': 'state'},
                {'name': "Theft", 'line': line.id,
                    'scenario': 'total_loss_theft'},
                ])
        legal = create_policy(company, line, region, number='POL-L',
            insured_kind='legal')
        state = create_policy(company, line, region, number='POL-S',
            insured_kind='state')
        with set_company(company), fixed_now():
            partial = create_claim(policy, region)
            total = create_claim(legal, region,
                scenario='total_loss_accident')
            total_state = create_claim(state, region,
                scenario='total_loss_accident')
            theft = create_claim(state, region, theft=True)
            Claim.register([partial, total, total_state, theft])

            def names(claim):
                return sorted(d.name for d in claim.documents)
            self.assertEqual(names(partial), ["General", "Line", "Natural"])
            self.assertEqual(names(total), [
                    "General", "Line", "Total loss", "Total loss legal"])
            self.assertEqual(names(total_state), [
                    "General", "Line", "Total loss", "Total loss legal",
                    "Total loss state"])
            self.assertEqual(names(theft), ["General", "Line", "Theft"])

    @with_transaction()
    def test_complementary_request_limit(self):
        "A third complementary request is refused"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Request = pool.get('insurance.claim.document.request')
        Requirement = pool.get('insurance.line.requirement')
        company, region, line, policy = self.setup_claim()
        Requirement.delete(Requirement.search([]))
        Requirement.create([{'name': "Photos", 'line': None}])
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            Claim.register([claim])
            document, = claim.documents
            requests = []
            for i in range(3):
                request = Request(claim=claim, documents=[document],
                    date=NOW.date())
                request.save()
                requests.append(request)
            self.assertEqual([r.kind for r in requests],
                ['initial', 'complementary', 'complementary'])
            with self.assertRaises(UserError) as cm:
                Request(claim=claim, documents=[document],
                    date=NOW.date()).save()
            self.assertIn('1031', str(cm.exception))

    @with_transaction()
    def test_decision_deadline_follows_last_delivery(self):
        "Decision is due 30 days after the last delivered request"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Request = pool.get('insurance.claim.document.request')
        Document = pool.get('insurance.claim.document')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            Claim.register([claim])
            document = Document(claim=claim, name="Report")
            document.save()
            first = Request(claim=claim, documents=[document],
                date=dt.date(2026, 3, 10))
            first.save()
            Request.send([first])
            self.assertEqual(document.state, 'requested')
            first.delivered_on = dt.date(2026, 3, 12)
            first.save()
            Request.deliver([first])

            def decision():
                return [(d.due.date(), d.state) for d in claim.deadlines
                    if d.kind == 'decision' and d.state != 'cancelled']
            self.assertEqual(decision(), [(dt.date(2026, 4, 11), 'pending')])
            second = Request(claim=claim, documents=[document],
                date=dt.date(2026, 3, 13))
            second.save()
            Request.send([second])
            self.assertEqual(decision(), [])
            second.delivered_on = dt.date(2026, 3, 20)
            second.save()
            Request.deliver([second])
            self.assertEqual(decision(), [(dt.date(2026, 4, 19), 'pending')])
            claim.decline_reason = "Excluded risk"
            claim.save()
            Claim.decline([claim])
            self.assertEqual(decision(), [(dt.date(2026, 4, 19), 'met')])

    @with_transaction()
    def test_late_notice(self):
        "A notice after the notice days needs a reason"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region,
                occurred_at=NOW - dt.timedelta(days=5))
            self.assertTrue(claim.late_notice)
            with self.assertRaises(UserError) as cm:
                Claim.register([claim])
            self.assertIn("Late Notice Reason", str(cm.exception))
            self.assertEqual(claim.state, 'draft')
            claim.late_notice_reason = "Insured was abroad"
            claim.save()
            Claim.register([claim])
            self.assertEqual(claim.state, 'open')
            on_time = create_claim(policy, region,
                occurred_at=NOW - dt.timedelta(days=3))
            self.assertFalse(on_time.late_notice)

    @with_transaction()
    def test_policy_checks(self):
        "Validity, premium and coverage are checked and shown"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim(
            policy={'premium_paid_until': dt.date(2026, 2, 28)})
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            self.assertTrue(claim.policy_in_force)
            self.assertFalse(claim.premium_paid)
            self.assertTrue(claim.coverage_valid)
            self.assertIn("Premium", claim.policy_check_messages)
            Claim.register([claim])
            with self.assertRaises(UserError):
                Claim.request_approval([claim])
            self.assertEqual(claim.state, 'open')

            policy.start_date = dt.date(2026, 3, 10)
            policy.save()
            late = create_claim(policy, region)
            self.assertFalse(late.policy_in_force)
            with self.assertRaises(UserError) as cm:
                Claim.register([late])
            self.assertIn("not in force", str(cm.exception))

    @with_transaction()
    def test_register_minimum_data(self):
        "Registration needs contact, description and coverages"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region, reporter_phone=None,
                description=None)
            with self.assertRaises(UserError) as cm:
                Claim.register([claim])
            self.assertIn("Description", str(cm.exception))
            self.assertFalse(claim.number)

    @with_transaction()
    def test_terna(self):
        "A shortlist needs exactly three distinct candidates, one chosen"
        pool = Pool()
        Party = pool.get('party.party')
        Adjuster = pool.get('insurance.adjuster')
        Expert = pool.get('insurance.claim.expert')
        company, region, line, policy = self.setup_claim()
        adjusters = []
        for name in ["A", "B", "C", "D"]:
            party = Party(name="Adjusters %s" % name)
            party.save()
            adjusters.append(Adjuster(party=party, kind='adjuster'))
        Adjuster.save(adjusters)
        a, b, c, d = adjusters
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            with self.assertRaises(UserError) as cm:
                Expert(claim=claim, adjuster=a, selection='terna',
                    candidates=[a, b]).save()
            self.assertIn("exactly three", str(cm.exception))
            with self.assertRaises(UserError):
                Expert(claim=claim, adjuster=d, selection='terna',
                    candidates=[a, b, c]).save()
            expert = Expert(claim=claim, adjuster=b, selection='terna',
                candidates=[a, b, c])
            expert.save()
            Expert(claim=claim, adjuster=d, selection='direct').save()
            with self.assertRaises(UserError):
                expert.report_on = expert.nominated_on - dt.timedelta(1)
                expert.save()

    @with_transaction()
    def test_total_loss_threshold(self):
        "Threshold from the policy, else from the line"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        own = create_policy(company, line, region, number='POL-2',
            total_loss_threshold=Decimal('0.5'))
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            self.assertEqual(claim.get_total_loss_threshold(),
                Decimal('0.75'))
            self.assertFalse(claim.is_total_loss(Decimal('112499.99')))
            self.assertTrue(claim.is_total_loss(Decimal('112500')))
            other = create_claim(own, region)
            self.assertTrue(other.is_total_loss(Decimal('75000')))
            Claim.register([claim])
            claim.valuation_labour = Decimal('50000')
            claim.valuation_parts = Decimal('40000')
            claim.save()
            with self.assertRaises(UserError):
                Claim.declare_total_loss([claim])
            claim.valuation_materials = Decimal('22500')
            claim.save()
            Claim.declare_total_loss([claim])
            self.assertTrue(claim.total_loss)
            self.assertEqual(claim.scenario, 'total_loss_accident')
            self.assertEqual(claim.total_loss_kind, 'constructive')

    @with_transaction()
    def test_theft_window_cutoff(self):
        "Located means found by 12:00 of day 30, in the company's time"
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now(dt.datetime(2026, 5, 1)):
            reported = dt.datetime(2026, 3, 2, 10, 0)
            claim = create_claim(policy, region, theft=True,
                notified_at=reported, occurred_at=reported)
            self.assertEqual(claim.theft_reported_at, reported)
            self.assertEqual(claim.theft_location_deadline(),
                dt.datetime(2026, 4, 1, 12, 0))
            claim.located_at = dt.datetime(2026, 4, 1, 11, 59)
            self.assertTrue(claim.is_located_in_time())
            claim.located_at = dt.datetime(2026, 4, 1, 12, 1)
            self.assertFalse(claim.is_located_in_time())
            company.timezone = 'America/La_Paz'
            company.save()
            self.assertEqual(claim.theft_location_deadline(),
                dt.datetime(2026, 4, 1, 16, 0))

    @with_transaction()
    def test_business_days(self):
        "Business days skip weekends and the country's holidays"
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        company, region, line, policy = self.setup_claim()
        with set_company(company):
            config = Configuration(1)
            # Friday + 1 -> Monday
            self.assertEqual(config.add_business_days(
                    dt.date(2026, 3, 6), 1), dt.date(2026, 3, 9))
            self.assertEqual(config.add_business_hours(
                    dt.datetime(2026, 3, 6, 10), 72),
                dt.datetime(2026, 3, 11, 10))
            config.business_calendar_country = 'BO'
            config.save()
            # 22 January is the Plurinational State Foundation Day
            self.assertEqual(config.add_business_days(
                    dt.date(2026, 1, 21), 1), dt.date(2026, 1, 23))
            self.assertEqual(config.add_business_days(
                    dt.date(2026, 1, 19), 7), dt.date(2026, 1, 29))

    @with_transaction()
    def test_theft_to_total_loss(self):
        "Not located in the window: total loss by theft"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        reported = dt.datetime(2026, 3, 2, 10, 0)
        with set_company(company), fixed_now(dt.datetime(2026, 3, 3)):
            claim = create_claim(policy, region, theft=True,
                notified_at=reported, occurred_at=reported)
            Claim.register([claim])
            kinds = {d.kind: d for d in claim.deadlines}
            self.assertEqual(kinds['theft_documents'].due,
                dt.datetime(2026, 3, 11, 10, 0))
            self.assertEqual(kinds['theft_location'].due,
                dt.datetime(2026, 4, 1, 12, 0))
            with self.assertRaises(UserError):
                Claim.declare_total_loss([claim])
        with set_company(company), fixed_now(dt.datetime(2026, 4, 1, 12, 1)):
            Claim.declare_total_loss([claim])
            self.assertEqual(claim.scenario, 'total_loss_theft')
            self.assertEqual(claim.total_loss_kind, 'real')
            location, = [d for d in claim.deadlines
                if d.kind == 'theft_location']
            self.assertEqual(location.state, 'breached')

    @with_transaction()
    def test_deadline_closing(self):
        "Deadlines are created and closed by the events they watch"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            self.assertEqual(sorted(d.kind for d in claim.deadlines),
                ['inspection', 'notification', 'registration'])
            self.assertEqual(claim.next_deadline,
                claim.notified_at + dt.timedelta(hours=24))
            Claim.register([claim])
            states = {d.kind: d.state for d in claim.deadlines}
            self.assertEqual(states['registration'], 'met')
            self.assertEqual(states['inspection'], 'pending')
            claim.inspected_at = NOW
            claim.authorization_informed_at = NOW
            claim.save()
            states = {d.kind: d.state for d in claim.deadlines}
            self.assertEqual(states['inspection'], 'met')
            self.assertEqual(states['notification'], 'met')
            self.assertIsNone(claim.next_deadline)

            claim.admission_order_on = NOW.date()
            claim.save()
            claim.vehicle_entry_at = NOW
            claim.save()
            states = {d.kind: d.state for d in claim.deadlines}
            self.assertEqual(states['admission_order'], 'met')
            self.assertEqual(states['valuation'], 'pending')

            cancelled = create_claim(policy, region)
            Claim.cancel([cancelled])
            self.assertEqual({d.state for d in cancelled.deadlines},
                {'cancelled'})

    @with_transaction()
    def test_cron_breaches_set_based_idempotent(self):
        "The cron marks breaches in SQL and notifies once"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Deadline = pool.get('insurance.claim.deadline')
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        company = create_company()
        head = create_employee(company, "Head")
        executive = create_employee(company, "Executive")
        region = create_region('LPZ', head=head)
        line = create_line()
        policy = create_policy(company, line, region)
        head_user = User(login='head', employees=[head])
        executive_user = User(login='exec', employees=[executive])
        User.save([head_user, executive_user])
        with set_company(company), fixed_now():
            claims = [create_claim(policy, region, executive=executive)
                for _ in range(5)]
        later = NOW + dt.timedelta(days=4)
        with set_company(company), fixed_now(later):
            with patch.object(Deadline, 'write',
                    side_effect=AssertionError("per-record write")), \
                    patch.object(Deadline, 'save',
                        side_effect=AssertionError("per-record save")):
                Deadline.check_breaches()
            breached = Deadline.search([('state', '=', 'breached')])
            # inspection and notification of each claim
            self.assertEqual(len(breached), 10)
            self.assertTrue(all(d.notified for d in breached))
            self.assertEqual(Notification.search([
                        ('user', '=', executive_user.id)], count=True), 10)
            self.assertEqual(Notification.search([
                        ('user', '=', head_user.id)], count=True), 10)
            Deadline.check_breaches()
            self.assertEqual(Notification.search([], count=True), 20)
            self.assertEqual(
                Deadline.search([('state', '=', 'breached')], count=True), 10)
            # the registration deadline (7 days) is not yet due
            self.assertEqual(Deadline.search([
                        ('state', '=', 'pending'),
                        ('kind', '=', 'registration')], count=True), 5)
            self.assertTrue(all(c.next_deadline for c in Claim.browse(claims)))

    @with_transaction()
    def test_region_rules(self):
        "Executives see their regions' claims, managers see all"
        pool = Pool()
        User = pool.get('res.user')
        Claim = pool.get('insurance.claim')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        lpz = create_region('LPZ')
        eal = create_region('EAL')
        scz = create_region('SCZ')
        line = create_line()
        policy_lpz = create_policy(company, line, lpz, number='P-LPZ')
        policy_scz = create_policy(company, line, scz, number='P-SCZ')
        with set_company(company), fixed_now():
            in_lpz = create_claim(policy_scz, lpz)
            issued_lpz = create_claim(policy_lpz, scz)
            in_eal = create_claim(policy_scz, eal)
            in_scz = create_claim(policy_scz, scz)

        def group(name):
            return ModelData.get_id('insurance_claims', name)
        executive = User(login='ejecutivo', companies=[company],
            company=company, insurance_regions=[lpz],
            groups=[group('group_claims_executive')])
        deputy = User(login='subgerente', companies=[company],
            company=company,
            groups=[group('group_claims_deputy_manager')])
        User.save([executive, deputy])
        with checked_as(executive, company):
            self.assertEqual(
                set(Claim.search([])), {in_lpz, issued_lpz})
            with self.assertRaises(AccessError):
                Claim.read([in_scz.id], ['number'])
        with checked_as(deputy, company):
            self.assertEqual(set(Claim.search([])),
                {in_lpz, issued_lpz, in_eal, in_scz})
        User.write([executive], {'insurance_regions': [('add', [eal.id])]})
        with checked_as(executive, company):
            self.assertEqual(
                set(Claim.search([])), {in_lpz, issued_lpz, in_eal})
        # the user's regions are cached: a new subregion is seen at once
        scz.parent = eal
        scz.save()
        with checked_as(executive, company):
            self.assertEqual(set(Claim.search([])),
                {in_lpz, issued_lpz, in_eal, in_scz})

    @with_transaction()
    def test_bad_input(self):
        "Bad input is refused with a message naming the field"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Coverage = pool.get('insurance.policy.coverage')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            with self.assertRaises(UserError) as cm:
                Coverage.create([{'policy': policy.id, 'name': "Bad",
                            'insured_amount': Decimal(-1)}])
            self.assertIn("Insured Amount", str(cm.exception))
            with self.assertRaises(UserError) as cm:
                policy.end_date = dt.date(2025, 1, 1)
                policy.save()
            with self.assertRaises(UserError) as cm:
                create_claim(policy, region,
                    occurred_at=NOW, notified_at=NOW - dt.timedelta(days=1))
            self.assertIn("Occurred at", str(cm.exception))
            with self.assertRaises(UserError) as cm:
                create_claim(policy, region,
                    damage_estimate=Decimal('-5'))
            self.assertIn("Damage Estimate", str(cm.exception))

    @with_transaction()
    def test_wrong_state_buttons(self):
        "A button in the wrong state raises and changes nothing"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            with self.assertRaises(UserError):
                Claim.close([claim])
            Claim.register([claim])
            number = claim.number
            with self.assertRaises(UserError):
                Claim.register([claim])
            with self.assertRaises(UserError):
                Claim.cancel([claim])
            self.assertEqual((claim.state, claim.number), ('open', number))
            with self.assertRaises(UserError):
                Claim.decline([claim])
            with self.assertRaises(UserError):
                Claim.delete([claim])
            claim.decline_reason = "Not covered"
            claim.save()
            Claim.decline([claim])
            self.assertEqual(claim.state, 'declined')
            with self.assertRaises(UserError):
                Claim.reopen([claim])
            with Transaction().set_context(_insurance_reopen_approved=True):
                Claim.reopen([claim])
            self.assertEqual(claim.state, 'open')

    @with_transaction()
    def test_facultative_reinsurance_notified(self):
        "Reinsurance is notified at registration of a facultative claim"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        User = pool.get('res.user')
        Notification = pool.get('res.notification')
        ModelData = pool.get('ir.model.data')
        company, region, line, policy = self.setup_claim(
            policy={'facultative_reinsurance': True})
        reinsurer = User(login='reaseguro', groups=[ModelData.get_id(
                    'insurance_claims', 'group_claims_reinsurance')])
        reinsurer.save()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            self.assertTrue(claim.facultative_reinsurance)
            self.assertEqual(
                claim.facultative_reinsurance_icon, 'tryton-error')
            Claim.register([claim])
            notification, = Notification.search(
                [('user', '=', reinsurer.id)])
            self.assertIn(claim.number, notification.label)

    @with_transaction()
    def test_document_waive_needs_reason(self):
        "Waiving a document needs a reason"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Document = pool.get('insurance.claim.document')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            Claim.register([claim])
            document = Document(claim=claim, name="Alcohol test")
            document.save()
            with self.assertRaises(UserError):
                Document.waive([document])
            document.waive_reason = "Conciliated on site"
            document.save()
            Document.waive([document])
            self.assertEqual(document.state, 'waived')
            with self.assertRaises(UserError):
                Document.receive([document])

    @with_transaction()
    def test_request_report(self):
        "The request letter renders"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Request = pool.get('insurance.claim.document.request')
        Document = pool.get('insurance.claim.document')
        RequestReport = pool.get(
            'insurance.claim.document.request', type='report')
        ClaimReport = pool.get('insurance.claim', type='report')
        company, region, line, policy = self.setup_claim()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region)
            Claim.register([claim])
            document = Document(claim=claim, name="Photos")
            document.save()
            request = Request(claim=claim, documents=[document])
            request.save()
            oext, content, _, name = RequestReport.execute([request.id], {})
            self.assertEqual(oext, 'odt')
            self.assertTrue(content)
            oext, content, _, name = ClaimReport.execute([claim.id], {})
            self.assertTrue(content)


del ModuleTestCase
