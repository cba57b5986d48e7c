# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import configparser
import os
import threading
import unittest
from decimal import Decimal

from trytond import backend
from trytond.config import config
from trytond.exceptions import UserError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, activate_module
from trytond.transaction import Transaction, TransactionError

from .test_approval import ApprovalMixin, fixed_now
from .test_settlement import (
    create_order, create_payment, setup_accounting)
from .tools import NOW

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..')


def production_retry():
    "The [database] retry of the project's trytond.conf"
    parser = configparser.ConfigParser()
    parser.read(os.path.join(ROOT, 'trytond.conf'))
    return parser.get('database', 'retry', fallback='5')


@unittest.skipUnless(backend.name == 'postgresql',
    "concurrent approvals need two database connections with row locks: "
    "SQLite in memory has a single connection")
class ConcurrencyTestCase(ApprovalMixin, unittest.TestCase):
    "Users clicking at the same moment on the same claim's money"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('insurance_claims')
        cls._retry = config.get('database', 'retry')
        # the server retries a busy lock as configured in production
        config.set('database', 'retry', production_retry())

    @classmethod
    def tearDownClass(cls):
        config.set('database', 'retry', cls._retry)
        super().tearDownClass()

    def committed(self, func):
        "Run func as root in a committed transaction, as the dispatcher does"
        extras = {}
        while True:
            with Transaction().start(DB_NAME, 0, **extras) as transaction:
                try:
                    result = func()
                    transaction.commit()
                    return result
                except TransactionError as exception:
                    transaction.rollback()
                    exception.fix(extras)

    def race(self, calls, company_id):
        """Run each (user_id, func) at the same moment in its own transaction
        and return their outcomes: 'done', 'refused: …' or 'locked'"""
        barrier = threading.Barrier(len(calls))
        results = [None] * len(calls)

        def run(index, user_id, func):
            extras = {}
            barrier.wait()
            while True:
                try:
                    with Transaction().start(DB_NAME, user_id,
                            context={'company': company_id},
                            **extras) as transaction:
                        try:
                            func()
                            transaction.commit()
                            results[index] = 'done'
                        except TransactionError as exception:
                            transaction.rollback()
                            exception.fix(extras)
                            continue
                    break
                except backend.DatabaseOperationalError as exception:
                    results[index] = 'locked: %s' % exception
                    break
                except UserError as exception:
                    results[index] = 'refused: %s' % exception.message
                    break

        threads = [threading.Thread(target=run, args=(i, u, f))
            for i, (u, f) in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def approved_claim(self, amount):
        "A claim approved through a real round of levels 1 and 2"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Address = pool.get('party.address')
        company, region, policy, users = self.setup_office_unique()
        Address(party=policy.insured).save()
        with set_company(company), fixed_now():
            setup_accounting(company)
            claim = self.open_claim(policy, region, amount)
            Claim.request_approval([claim])
            step1, step2 = self.steps(claim.approvals[0])
            self.sign(step1, users[1])
            self.sign(step2, users[2])
            claim = Claim(claim.id)
            self.assertEqual(claim.state, 'approved')
        return company, claim, users

    def test_two_orders_one_approval(self):
        "Two payment orders approved at once cannot pass the approved amount"
        def setup():
            company, claim, users = self.approved_claim(2000)
            with set_company(company), fixed_now():
                payments = [create_payment(claim, amount=Decimal(1200),
                        conformity_on=NOW.date()) for _ in range(2)]
            return company.id, claim.id, [p.id for p in payments], users
        company_id, claim_id, payment_ids, users = self.committed(setup)

        def approve(payment_id):
            def func():
                Payment = Pool().get('insurance.claim.payment')
                with fixed_now():
                    Payment.approve([Payment(payment_id)])
            return func
        results = self.race([
                (users[1].id, approve(payment_ids[0])),
                (users[2].id, approve(payment_ids[1])),
                ], company_id)

        self.assertEqual(results.count('done'), 1, results)
        refused, = [r for r in results if r != 'done']
        self.assertIn('2400', refused)
        with Transaction().start(DB_NAME, 0):
            Payment = Pool().get('insurance.claim.payment')
            payments = Payment.browse(payment_ids)
            self.assertEqual(sorted(p.state for p in payments),
                ['draft', 'invoiced'])
            self.assertEqual(len([p for p in payments if p.invoice]), 1)

    def test_same_order_twice(self):
        "The same order approved from two connections: one invoice"
        def setup():
            company, claim, users = self.approved_claim(2000)
            with set_company(company), fixed_now():
                payment = create_payment(claim, amount=Decimal(1500),
                    conformity_on=NOW.date())
            return company.id, payment.id, users
        company_id, payment_id, users = self.committed(setup)

        def approve():
            Payment = Pool().get('insurance.claim.payment')
            with fixed_now():
                Payment.approve([Payment(payment_id)])
        results = self.race(
            [(users[1].id, approve), (users[2].id, approve)], company_id)

        self.assertEqual(results.count('done'), 1, results)
        refused, = [r for r in results if r != 'done']
        self.assertTrue(refused.startswith('refused: '), refused)
        self.assertIn('already approved', refused)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Payment = pool.get('insurance.claim.payment')
            InvoiceLine = pool.get('account.invoice.line')
            self.assertEqual(Payment(payment_id).state, 'invoiced')
            lines = InvoiceLine.search([
                    ('origin', '=', 'insurance.claim.payment,%s'
                        % payment_id)])
            self.assertEqual(len(lines), 1)

    def test_two_work_orders_at_once(self):
        "Two work orders of one claim accepted at once: one invoice each"
        def setup():
            pool = Pool()
            Party = pool.get('party.party')
            WorkOrder = pool.get('insurance.work_order')
            Approval = pool.get('insurance.claim.approval')
            company, claim, users = self.approved_claim(2000)
            with set_company(company), fixed_now():
                workshop = Party(name="Taller %s" % claim.number,
                    addresses=[{}])
                workshop.save()
                orders = [create_order(claim, workshop,
                        lines=((1, 600),)) for _ in range(2)]
                WorkOrder.request_signature(orders)
                for order in orders:
                    round_, = Approval.search([('origin', '=', str(order))])
                    step1, step2 = self.steps(round_)
                    self.sign(step1, users[1])
                    self.sign(step2, users[2])
                self.assertEqual(
                    [o.state for o in WorkOrder.browse(orders)],
                    ['signed', 'signed'])
                WorkOrder.write(WorkOrder.browse(orders), {
                        'accepted_by': 'insured',
                        'accepted_on': NOW.date(),
                        })
            return company.id, [o.id for o in orders], users
        company_id, order_ids, users = self.committed(setup)

        def accept(order_id):
            def func():
                WorkOrder = Pool().get('insurance.work_order')
                with fixed_now():
                    WorkOrder.accept([WorkOrder(order_id)])
            return func
        results = self.race([
                (users[1].id, accept(order_ids[0])),
                (users[2].id, accept(order_ids[1])),
                ], company_id)

        self.assertEqual(results, ['done', 'done'])
        with Transaction().start(DB_NAME, 0):
            WorkOrder = Pool().get('insurance.work_order')
            orders = WorkOrder.browse(order_ids)
            self.assertEqual([o.state for o in orders],
                ['invoiced', 'invoiced'])
            self.assertEqual(len({o.invoice.id for o in orders}), 2)
