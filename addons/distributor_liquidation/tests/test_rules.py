# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"History of the liquidation requests and the rules of plausible values"
import datetime
import unittest
from decimal import Decimal

from trytond import backend
from trytond.modules.company.tests import set_company
from trytond.modules.distributor_liquidation.exceptions import (
    DateValidationError)
from trytond.modules.insurance_directory.exceptions import AmountLimitError
from trytond.modules.insurance_directory.tests.tools import (
    backdate_history, savepoint)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import create_liquidation, setup_office

day = datetime.timedelta(days=1)


class LiquidationRulesTestCase(unittest.TestCase):
    "Test the history of the requests and their plausible values"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('distributor_liquidation')

    @with_transaction()
    def test_liquidation_history(self):
        "A changed request shows its earlier revision at an earlier time"
        pool = Pool()
        Liquidation = pool.get('distributor.liquidation')
        self.assertTrue(Liquidation._history)
        self.assertTrue(backend.TableHandler.table_exist(
                Liquidation._table + '__history'))
        company, plan = setup_office()
        with set_company(company):
            liquidation = create_liquidation(
                plan, agreed_amount=Decimal('98000'))
            before = backdate_history(
                Liquidation, liquidation, datetime.timedelta(hours=1))
            Liquidation.write([Liquidation(liquidation.id)], {
                    'agreed_amount': Decimal('97500'),
                    'notes': "The customer asked for a discount",
                    })
            with Transaction().set_context(_datetime=before):
                earlier = Liquidation(liquidation.id)
                self.assertEqual(earlier.agreed_amount, Decimal('98000'))
                self.assertIsNone(earlier.notes)
            self.assertEqual(
                Liquidation(liquidation.id).agreed_amount, Decimal('97500'))
            self.assertGreaterEqual(
                len(Liquidation.history_revisions([liquidation.id])), 2)

    @with_transaction()
    def test_request_date_not_future(self):
        "The request date the dealer types is not after today"
        pool = Pool()
        Date = pool.get('ir.date')
        company, plan = setup_office()
        with set_company(company):
            today = Date.today()
            with savepoint(), \
                    self.assertRaises(DateValidationError) as cm:
                create_liquidation(plan, request_date=today + day)
            self.assertIn('"Request Date"', str(cm.exception))
            create_liquidation(plan, request_date=today)

    @with_transaction()
    def test_commitment_horizon(self):
        "The commitment date is within the configured days of the request"
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        Date = pool.get('ir.date')
        Liquidation = pool.get('distributor.liquidation')
        company, plan = setup_office()
        with set_company(company):
            config = Configuration(1)
            self.assertEqual(config.commitment_horizon_days, 366)
            requested = Date.today() - 10 * day
            liquidation = create_liquidation(plan, request_date=requested)
            with savepoint(), \
                    self.assertRaises(DateValidationError) as cm:
                Liquidation.write([liquidation], {
                        'commitment_date': requested + 367 * day})
            self.assertIn('"Commitment Date"', str(cm.exception))
            self.assertIn("366", str(cm.exception))
            Liquidation.write([liquidation], {
                    'commitment_date': requested + 366 * day})

            config.commitment_horizon_days = 30
            config.save()
            with savepoint(), self.assertRaises(DateValidationError):
                Liquidation.write([liquidation], {
                        'commitment_date': requested + 31 * day})
            Liquidation.write([liquidation], {
                    'commitment_date': requested + 30 * day})

    @with_transaction()
    def test_maximum_amount(self):
        "The typed amounts stay within the configured maximum"
        pool = Pool()
        Configuration = pool.get('distributor.configuration')
        Liquidation = pool.get('distributor.liquidation')
        company, plan = setup_office()
        with set_company(company):
            self.assertEqual(
                Configuration(1).maximum_amount, Decimal(1000000000))
            too_much = Decimal('1000000000.01')
            for name, label in [
                    ('agreed_amount', "Agreed Amount"),
                    ('interest_waiver_amount', "Interest Waiver")]:
                with self.subTest(field=name):
                    with savepoint(), \
                            self.assertRaises(AmountLimitError) as cm:
                        create_liquidation(plan, **{name: too_much})
                    self.assertIn('"%s"' % label, str(cm.exception))
            liquidation = create_liquidation(
                plan, agreed_amount=Decimal(1000000000))

            config = Configuration(1)
            config.maximum_amount = Decimal(100000)
            config.save()
            with savepoint(), self.assertRaises(AmountLimitError):
                Liquidation.write([liquidation], {
                        'agreed_amount': Decimal('100000.01')})
            Liquidation.write([liquidation], {
                    'agreed_amount': Decimal(100000)})
