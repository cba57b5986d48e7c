# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime
from decimal import Decimal

from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool


def setup_office(accounting=False):
    """Create the company, the routing departments, a dealer and a plan;
    with accounting, a chart, a fiscal year and the liquidation account"""
    pool = Pool()
    Account = pool.get('account.account')
    Department = pool.get('insurance.department')
    Configuration = pool.get('distributor.configuration')
    Party = pool.get('party.party')
    Plan = pool.get('distributor.plan')

    company = create_company()
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
        if accounting:
            create_chart(company)
            fiscalyear = set_invoice_sequences(get_fiscalyear(company))
            fiscalyear.save()
            fiscalyear.create_period([fiscalyear])
        config = Configuration(1)
        (config.customer_service_department,
            config.early_collection_department,
            config.extrajudicial_department) = departments
        if accounting:
            config.liquidation_account, = Account.search([
                    ('type.revenue', '=', True),
                    ('closed', '!=', True),
                    ('company', '=', company.id),
                    ], limit=1)
        config.save()
        plan = Plan(
            group_code='1234', member_code='056', customer=customer,
            distributor=dealer, insurance_frequency='monthly',
            insurance_start_date=datetime.date(2024, 1, 31),
            arrears_amount=Decimal('500.00'),
            balance_lines=[
                {'concept': 'capital', 'amount': Decimal('90000')},
                {'concept': 'auto_insurance', 'amount': Decimal('3000')},
                ])
        plan.save()
    return company, plan


def create_liquidation(plan, **values):
    Liquidation = Pool().get('distributor.liquidation')
    liquidation = Liquidation(plan=plan, **values)
    liquidation.on_change_plan()
    liquidation.save()
    return liquidation
