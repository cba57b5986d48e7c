# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"History of the claims and the model rules of plausible values"
import datetime as dt
import unittest
from decimal import Decimal

from trytond import backend
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.insurance_claims.exceptions import (
    AdjusterValidationError, ClaimValidationError)
from trytond.modules.insurance_directory.exceptions import AmountLimitError
from trytond.modules.insurance_directory.tests.tools import (
    backdate_history, savepoint)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .test_settlement import create_order, create_payment, setup_claim
from .tools import NOW, create_claim, create_line, create_policy, create_region

HISTORY_MODELS = [
    'insurance.claim', 'insurance.claim.reserve', 'insurance.claim.approval',
    'insurance.claim.approval.step', 'insurance.claim.payment',
    'insurance.work_order',
    ]


def fixed_now(moment=NOW):
    return Transaction().set_context(_insurance_now=moment)


class ClaimRulesTestCase(unittest.TestCase):
    "Test the history of the claims and their plausible values"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('insurance_claims')

    def setup_policy(self):
        company = create_company()
        region = create_region('LPZ')
        policy = create_policy(company, create_line(), region)
        return company, region, policy

    @with_transaction()
    def test_history_tables(self):
        "The documents of the claims keep their history"
        pool = Pool()
        TableHandler = backend.TableHandler
        for name in HISTORY_MODELS:
            Model = pool.get(name)
            with self.subTest(model=name):
                self.assertTrue(Model._history)
                self.assertTrue(
                    TableHandler.table_exist(Model._table + '__history'))

    @with_transaction()
    def test_claim_history(self):
        "A changed claim shows its earlier revision at an earlier time"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        company, region, policy = self.setup_policy()
        with set_company(company), fixed_now():
            claim = create_claim(policy, region,
                description="Rear collision", damage_estimate=Decimal(800))
            before = backdate_history(Claim, claim, dt.timedelta(hours=1))
            Claim.write([Claim(claim.id)], {
                    'description': "Rear and side collision",
                    'damage_estimate': Decimal(1200),
                    })

            with Transaction().set_context(_datetime=before):
                earlier = Claim(claim.id)
                self.assertEqual(earlier.description, "Rear collision")
                self.assertEqual(earlier.damage_estimate, Decimal(800))
            current = Claim(claim.id)
            self.assertEqual(current.description, "Rear and side collision")
            self.assertEqual(current.damage_estimate, Decimal(1200))

            revisions = Claim.history_revisions([claim.id])
            self.assertGreaterEqual(len(revisions), 2)
            self.assertEqual({r[1] for r in revisions}, {claim.id})
            # who changed it: the user of each revision
            self.assertTrue(all(r[2] for r in revisions))
            self.assertLess(revisions[-1][0], revisions[0][0])

    @with_transaction()
    def test_policy_system_start(self):
        "No occurrence nor notice before the start of the policy system"
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        company, region, policy = self.setup_policy()
        with set_company(company), fixed_now():
            self.assertEqual(
                Configuration(1).policy_system_start, dt.date(2000, 1, 1))
            for values in [
                    {'occurred_at': dt.datetime(1999, 12, 31, 23, 0),
                        'notified_at': NOW},
                    {'occurred_at': dt.datetime(1999, 12, 30),
                        'notified_at': dt.datetime(1999, 12, 31)},
                    ]:
                with self.subTest(values=values):
                    with savepoint(), \
                            self.assertRaises(ClaimValidationError) as cm:
                        create_claim(policy, region, **values)
                    self.assertIn("Occurred at", str(cm.exception))
                    self.assertIn("2000-01-01", str(cm.exception))
            create_claim(policy, region,
                occurred_at=dt.datetime(2000, 1, 1),
                notified_at=dt.datetime(2000, 1, 2))

            config = Configuration(1)
            config.policy_system_start = dt.date(2026, 3, 10)
            config.save()
            with savepoint(), \
                    self.assertRaises(ClaimValidationError) as cm:
                create_claim(policy, region,
                    occurred_at=dt.datetime(2026, 3, 9, 23),
                    notified_at=dt.datetime(2026, 3, 10, 8))
            self.assertIn("Occurred at", str(cm.exception))
            self.assertIn("2026-03-10", str(cm.exception))

    @with_transaction()
    def test_maximum_amount(self):
        "The typed amounts of the claims stay within the configured maximum"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Configuration = pool.get('insurance.configuration')
        Reserve = pool.get('insurance.claim.reserve')
        Recovery = pool.get('insurance.claim.recovery')
        company = create_company()
        with set_company(company), fixed_now():
            claim, workshop = setup_claim(company)
            self.assertEqual(
                Configuration(1).maximum_amount, Decimal(1000000000))
            too_much = Decimal('1000000000.01')

            for create, label in [
                    (lambda: Claim.write([claim], {
                                'damage_estimate': too_much}),
                        "Damage Estimate"),
                    (lambda: Reserve.create([{
                                    'claim': claim.id, 'kind': 'adjustment',
                                    'amount': too_much,
                                    'reason': "Appraisal"}]),
                        "Amount"),
                    (lambda: create_payment(claim, amount=too_much),
                        "Amount"),
                    (lambda: create_payment(claim, amount=Decimal(10),
                            deductible_amount=-too_much),
                        "Deductible"),
                    (lambda: create_order(claim, workshop,
                            lines=((1, too_much),)),
                        "Unit Price"),
                    (lambda: create_order(claim, workshop,
                            lines=((1000, Decimal(1000001)),)),
                        "Amount"),
                    (lambda: Recovery.create([{
                                    'claim': claim.id,
                                    'company': company.id, 'kind': 'salvage',
                                    'counterparty': workshop.id,
                                    'expected_amount': too_much}]),
                        "Expected Amount"),
                    ]:
                with self.subTest(label=label):
                    with savepoint(), \
                            self.assertRaises(AmountLimitError) as cm:
                        create()
                    self.assertIn('"%s"' % label, str(cm.exception))

            # the maximum itself is accepted, and the maximum is a setting
            create_payment(claim, amount=Decimal(1000000000))
            config = Configuration(1)
            config.maximum_amount = Decimal(5000)
            config.save()
            with savepoint(), self.assertRaises(AmountLimitError):
                create_payment(claim, amount=Decimal('5000.01'))
            Claim.write([claim], {'damage_estimate': Decimal(5000)})

    @with_transaction()
    def test_reporter_email(self):
        "The e-mail addresses people type follow the directory's rule"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Adjuster = pool.get('insurance.adjuster')
        Party = pool.get('party.party')
        company, region, policy = self.setup_policy()
        with set_company(company), fixed_now():
            for value in ["ana", "ana@", "ana@example", "ana@example..com",
                    "ana maria@example.com", "ana@exa mple.com"]:
                with self.subTest(value=value):
                    with savepoint(), \
                            self.assertRaises(ClaimValidationError) as cm:
                        create_claim(policy, region, reporter_email=value)
                    self.assertIn("Reporter E-Mail", str(cm.exception))
            claim = create_claim(policy, region,
                reporter_email="ana.perez@example.com")
            with savepoint(), self.assertRaises(ClaimValidationError):
                Claim.write([claim], {'reporter_email': "ana@example..com"})
            Claim.write([claim], {'reporter_email': None})

            party = Party(name="Ajustadores")
            party.save()
            with savepoint(), self.assertRaises(AdjusterValidationError):
                Adjuster.create([{'party': party.id,
                            'email': "ana@example..com"}])
            Adjuster.create([{'party': party.id,
                        'email': "ana@example.com"}])
