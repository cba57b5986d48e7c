"""Invoices by need to know, with the three modules together: the claims
staff read the invoices of the claims' orders, the dealer desk those of its
liquidation requests, the accountants all of them; the desk reads no
claim."""
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import set_company
from trytond.modules.distributor_liquidation.tests import (
    test_module as liquidation_tests)
from trytond.modules.insurance_claims.tests.test_settlement import (
    NOW, approved, create_payment, fixed_now, set_state, setup_claim)
from trytond.modules.insurance_claims.tests.tools import checked_as
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .runner import MODULES


class NeedToKnowTestCase(unittest.TestCase):
    "Test who reads whose invoices"

    @classmethod
    def setUpClass(cls):
        activate_module(MODULES)

    @with_transaction()
    def test_invoices_by_department(self):
        "Claims and dealer desk read only their invoices, accountants all"
        pool = Pool()
        User = pool.get('res.user')
        Claim = pool.get('insurance.claim')
        Payment = pool.get('insurance.claim.payment')
        Invoice = pool.get('account.invoice')
        Liquidation = pool.get('distributor.liquidation')
        Configuration = pool.get('insurance.configuration')
        Account = pool.get('account.account')
        ModelData = pool.get('ir.model.data')
        case = liquidation_tests.DistributorLiquidationTestCase
        company, plan, _ = case.setup_office(self, with_accounting=True)
        with set_company(company), fixed_now():
            config = Configuration(1)
            config.claims_expense_account, = Account.search([
                    ('type.expense', '=', True), ('closed', '!=', True),
                    ('company', '=', company.id)], limit=1)
            config.save()
            claim, _ = setup_claim(company)
            set_state(claim, 'approved')
            payment = create_payment(claim, conformity_on=NOW.date())
            with approved(Decimal(5000)):
                Payment.approve([payment])
            claim_invoice = Payment(payment.id).invoice

            liquidation = case.create_liquidation(
                self, plan, agreed_amount=Decimal('98000'))
            Liquidation.register([liquidation])
            Liquidation.request_payment([liquidation])
            liquidation_invoice = liquidation.invoice

        def user(login, *groups):
            user = User(login=login, companies=[company], company=company,
                groups=[ModelData.get_id(*g.split('.')) for g in groups],
                insurance_regions=[claim.occurrence_region])
            user.save()
            return user
        executive = user('ejecutivo',
            'insurance_claims.group_claims_executive')
        desk = user('desk', 'distributor_liquidation.group_distributor',
            'distributor_liquidation.group_distributor_account')
        accountant = user('contador', 'account.group_account')

        with checked_as(executive, company):
            self.assertEqual(Invoice.search([]), [claim_invoice])
            self.assertEqual(Claim.search([]), [claim])
            with self.assertRaises(AccessError):
                Invoice.read([liquidation_invoice.id], ['state'])

        with checked_as(desk, company):
            self.assertEqual(Invoice.search([]), [liquidation_invoice])
            self.assertEqual(
                Liquidation.read([liquidation.id], ['invoice.state']),
                [{'id': liquidation.id, 'invoice.': {
                            'id': liquidation_invoice.id,
                            'state': 'posted'}}])
            with self.assertRaises(AccessError):
                Invoice.read([claim_invoice.id], ['state'])
            with self.assertRaises(AccessError):
                Claim.search([])
            with self.assertRaises(AccessError):
                Claim.read([claim.id], ['number'])
            with self.assertRaises(AccessError):
                Payment.read([payment.id], ['amount'])

        with checked_as(accountant, company):
            self.assertEqual(set(Invoice.search([])),
                {claim_invoice, liquidation_invoice})
