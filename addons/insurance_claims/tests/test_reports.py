# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"Daily claims report and month-end pack against hand-computed sums"
import datetime as dt
import io
import unittest
import zipfile
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .test_settlement import create_payment, fixed_now
from .tools import (
    checked_as, create_claim, create_line, create_policy, create_region)

MARCH = {'from_date': dt.date(2026, 3, 1), 'to_date': dt.date(2026, 3, 31)}


def at(month, day, hour=10):
    return dt.datetime(2026, month, day, hour)


def register(policy, region, moment, estimate):
    Claim = Pool().get('insurance.claim')
    with fixed_now(moment):
        claim = create_claim(policy, region,
            notified_at=moment - dt.timedelta(hours=2),
            occurred_at=moment - dt.timedelta(days=1),
            damage_estimate=Decimal(estimate))
        Claim.register([claim])
    return claim


def estimate(claim, moment, amount):
    Claim = Pool().get('insurance.claim')
    with fixed_now(moment):
        Claim.write([claim], {'damage_estimate': Decimal(amount)})


def paid(claim, day, amount, **values):
    "A payment order paid in accounting on the day"
    pool = Pool()
    Payment = pool.get('insurance.claim.payment')
    Claim = pool.get('insurance.claim')
    payment = create_payment(claim, amount=Decimal(amount), **values)
    Payment.write([payment], {'state': 'paid', 'paid_on': day,
            'paid_amount': Decimal(amount)})
    Claim.update_paid_amount([Claim(claim.id)])
    return payment


class ReportsTestCase(unittest.TestCase):
    "Test the claims reports"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('insurance_claims')

    def fixture(self):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company = create_company()
        r1, r2 = create_region('R1'), create_region('R2')
        line = create_line('L1')
        policy = create_policy(company, line, r1, number='P-1')
        # A: opening 5,000 - 1,000 paid; +2,000 in March; 2,500 paid
        a = register(policy, r1, at(2, 10), 5000)
        paid(a, dt.date(2026, 2, 20), 1000, conformity_on=dt.date(2026, 2, 20))
        estimate(a, at(3, 5), 7000)
        paid(a, dt.date(2026, 3, 15), 2500, conformity_on=dt.date(2026, 3, 1))
        # B: new 3,000 in March, -1,000 in March, April is out
        b = register(policy, r1, at(3, 3), 3000)
        estimate(b, at(3, 20), 2000)
        estimate(b, at(4, 2), 2500)
        # C: opening 10,000; 8,000 paid and closed (release -2,000)
        c = register(policy, r2, at(1, 5), 10000)
        paid(c, dt.date(2026, 3, 10), 8000, conformity_on=dt.date(2026, 3, 1))
        Claim.write([c], {'state': 'approved'})
        with fixed_now(at(3, 12)):
            Claim.close([Claim(c.id)])
        return company, (r1, r2), line, (a, b, c)

    @with_transaction()
    def test_reserve_movement(self):
        "opening + new + increase - decrease - paid = closing"
        pool = Pool()
        Movement = pool.get('insurance.claim.reserve_movement')
        company = create_company()
        with set_company(company):
            company, (r1, r2), line, _ = self.fixture()
        with set_company(company), Transaction().set_context(**MARCH):
            rows = {m.region: m for m in Movement.search([])}
            fields = ['opening', 'new', 'increase', 'decrease', 'paid',
                'closing']
            self.assertEqual(
                [getattr(rows[r1], n) for n in fields],
                [Decimal(v) for v in [4000, 3000, 2000, 1000, 2500, 5500]])
            self.assertEqual(
                [getattr(rows[r2], n) for n in fields],
                [Decimal(v) for v in [10000, 0, 0, 2000, 8000, 0]])
            for row in rows.values():
                self.assertEqual(row.line, line)
                self.assertEqual(row.opening + row.new + row.increase
                    - row.decrease - row.paid, row.closing)
        # February: A's 5,000 new, 1,000 paid; C opens at 10,000
        with set_company(company), Transaction().set_context(
                from_date=dt.date(2026, 2, 1), to_date=dt.date(2026, 2, 28)):
            rows = {m.region: m for m in Movement.search([])}
            self.assertEqual((rows[r1].opening, rows[r1].new,
                    rows[r1].paid, rows[r1].closing),
                (Decimal(0), Decimal(5000), Decimal(1000), Decimal(4000)))
            self.assertEqual(rows[r2].closing, Decimal(10000))

    @with_transaction()
    def test_daily_and_pack(self):
        "Daily report of open claims; payments, total losses and SLA"
        pool = Pool()
        Daily = pool.get('insurance.claim.daily')
        Large = pool.get('insurance.claim.large_payment')
        Commercial = pool.get('insurance.claim.commercial_payment')
        TotalLoss = pool.get('insurance.claim.total_loss')
        Sla = pool.get('insurance.claim.sla')
        Deadline = pool.get('insurance.claim.deadline')
        Payment = pool.get('insurance.claim.payment')
        Claim = pool.get('insurance.claim')
        MonthEnd = pool.get('insurance.claim.month_end', type='report')
        company = create_company()
        with set_company(company):
            company, (r1, r2), line, (a, b, c) = self.fixture()
            large = create_payment(a, amount=Decimal(12000),
                planned_on=dt.date(2026, 4, 15))
            create_payment(a, amount=Decimal(9000),
                planned_on=dt.date(2026, 4, 10))
            create_payment(a, amount=Decimal(15000),
                planned_on=dt.date(2026, 5, 2))
            commercial = create_payment(b, kind='commercial',
                amount=Decimal(300))
            Payment.write([commercial], {'approved_at': at(3, 25)})
            Claim.write([b], {'total_loss': True, 'theft': True,
                    'theft_reported_at': at(3, 3),
                    'total_loss_declared_at': at(3, 22)})
        with set_company(company), fixed_now(at(3, 31)):
            rows = Daily.search([])
            self.assertEqual({r.claim for r in rows}, {a, b})
            reserves = {r.claim: r.reserve for r in rows}
            self.assertEqual(reserves, {a: Decimal(7000), b: Decimal(2500)})
            row, = [r for r in rows if r.claim == a]
            self.assertEqual(row.days_open, (at(3, 31) - a.notified_at).days)
            self.assertEqual(row.region, r1)

        with set_company(company), Transaction().set_context(**MARCH):
            self.assertEqual([p.payment for p in Large.search([])], [large])
            self.assertEqual(
                [p.payment for p in Commercial.search([])], [commercial])
            loss, = TotalLoss.search([])
            self.assertEqual((loss.claim, loss.cause), (b, 'theft'))

            deadlines = Deadline.search([
                    ('due', '>=', at(3, 1, 0)), ('due', '<', at(4, 1, 0)),
                    ('state', '!=', 'cancelled')])
            expected = {}
            for deadline in deadlines:
                key = deadline.claim.occurrence_region
                counts = expected.setdefault(key, [0, 0, 0, 0])
                counts[0] += 1
                for i, state in enumerate(['met', 'breached', 'pending'], 1):
                    counts[i] += deadline.state == state
            self.assertTrue(expected)
            self.assertEqual(
                {s.region: [s.total, s.met, s.breached, s.pending]
                    for s in Sla.search([])}, expected)

            movements = pool.get('insurance.claim.reserve_movement').search(
                [])
            ext, content, _, name = MonthEnd.execute(
                [m.id for m in movements], {})
            self.assertEqual(ext, 'odt')
            self.assertTrue(content)
            # the same pack as a spreadsheet: figures are numbers
            Spreadsheet = pool.get(
                'insurance.claim.month_end.spreadsheet', type='report')
            ext, content, _, name = Spreadsheet.execute(
                [m.id for m in movements], {})
            self.assertEqual(ext, 'ods')
            sheet = zipfile.ZipFile(io.BytesIO(content)).read(
                'content.xml').decode()
            for movement in movements:
                self.assertIn('office:value="%s"' % float(movement.closing),
                    sheet)
            self.assertIn('table:name="Large Payments"', sheet)
            self.assertIn('office:value="12000.0"', sheet)
            Daily = pool.get('insurance.claim.daily', type='report')
            ext, content, _, name = Daily.execute([a.id, b.id], {})
            self.assertEqual(ext, 'odt')

    @with_transaction()
    def test_region_rules(self):
        "A regional head sees the rows of its regions, a manager all rows"
        pool = Pool()
        User = pool.get('res.user')
        Claim = pool.get('insurance.claim')
        Payment = pool.get('insurance.claim.payment')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            lpz, eal = create_region('LPZ'), create_region('EAL')
            line = create_line('L1')
            policy = create_policy(company, line, None, number='P-1')
            policy_lpz = create_policy(company, line, lpz, number='P-LPZ')
            in_lpz = register(policy, lpz, at(3, 3), 1000)
            in_eal = register(policy, eal, at(3, 4), 2000)
            # an El Alto claim on a policy issued in La Paz: La Paz sees it
            issued_lpz = register(policy_lpz, eal, at(3, 5), 3000)
            for claim in [in_lpz, in_eal]:
                create_payment(claim, amount=Decimal(12000),
                    planned_on=dt.date(2026, 4, 15))
                commercial = create_payment(claim, kind='commercial',
                    amount=Decimal(300))
                Payment.write([commercial], {'approved_at': at(3, 25)})
                Claim.write([claim], {'total_loss': True, 'theft': True,
                        'theft_reported_at': at(3, 3),
                        'total_loss_declared_at': at(3, 22)})

        def group(name):
            return ModelData.get_id('insurance_claims', name)
        head = User(login='jefe', companies=[company], company=company,
            insurance_regions=[lpz],
            groups=[group('group_claims_regional_head')])
        deputy = User(login='subgerente', companies=[company],
            company=company, groups=[group('group_claims_deputy_manager')])
        User.save([head, deputy])

        names = ['insurance.claim.daily', 'insurance.claim.reserve_movement',
            'insurance.claim.sla', 'insurance.claim.large_payment',
            'insurance.claim.commercial_payment',
            'insurance.claim.total_loss']

        def rows():
            with fixed_now(at(3, 31)), \
                    Transaction().set_context(**MARCH):
                return {n: pool.get(n).search([]) for n in names}
        with set_company(company):
            every = rows()
        for name in names:
            self.assertEqual({r.region for r in every[name]}, {lpz, eal},
                name)

        with checked_as(head, company), Transaction().set_context(**MARCH):
            seen = rows()
            for name in names:
                with self.subTest(model=name):
                    Report = pool.get(name)
                    self.assertTrue(seen[name])
                    if name == 'insurance.claim.daily':
                        self.assertEqual({r.claim for r in seen[name]},
                            {in_lpz, issued_lpz})
                    else:
                        self.assertEqual(
                            {r.region for r in seen[name]}, {lpz})
                    hidden = [r.id for r in every[name]
                        if r.region == eal and r.id not in {
                            s.id for s in seen[name]}]
                    self.assertTrue(hidden)
                    with self.assertRaises(AccessError):
                        Report.read(hidden, ['region'])
        with checked_as(deputy, company), Transaction().set_context(**MARCH):
            seen = rows()
            for name in names:
                with self.subTest(model=name):
                    self.assertEqual(
                        {r.id for r in seen[name]},
                        {r.id for r in every[name]})
