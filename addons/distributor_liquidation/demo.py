# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"Demo data of the dealer desk: dealers, plans and requests in every state"
import datetime as dt
from decimal import Decimal

DEALERS = ["Autos del Norte Demo", "Motores del Bajío Demo"]
DEPARTMENTS = [
    ('CA', "Centro de Atención", [
            ('phone', "55 5000 7000", "Ext. 5000"),
            ('email', "atencion@example.com", None)]),
    ('COBT', "Centro de Cobranza Telefónica Temprana", [
            ('phone', "55 5000 0848", "Directo"),
            ('phone', "55 5000 7000", "Ext. 3148, 3183")]),
    ('COBEX', "Cobranza Extrajudicial", [
            ('person', "Lic. Martha Ruiz (ficticia)", None),
            ('phone', "55 5000 7000", "Ext. 7070")]),
    ]
# group, member, customer, arrears, stage, frequency, start, plan type
PLANS = [
    ('1001', '001', "Laura Méndez Demo", '0.00', 'current', 'monthly',
        dt.date(2024, 1, 31), 'standard'),
    ('1001', '002', "Jorge Salinas Demo", '500.00', 'current', 'quarterly',
        dt.date(2023, 8, 31), 'standard'),
    ('1002', '014', "Sofía Ortega Demo", '1250.50', 'current', 'semiannual',
        dt.date(2024, 2, 29), 'platinum'),
    ('1002', '027', "Ricardo Luna Demo", '8400.00', 'extrajudicial',
        'annual', dt.date(2022, 5, 15), 'standard'),
    ('1003', '005', "Elena Castro Demo", '120.00', 'current', 'monthly',
        dt.date(2024, 6, 10), 'platinum'),
    ('1003', '009', "Pablo Ibarra Demo", '0.00', 'current', 'monthly',
        dt.date(2024, 3, 1), 'standard'),
    ('1004', '011', "Carmen Rivas Demo", '75.00', 'current', 'quarterly',
        dt.date(2023, 11, 30), 'standard'),
    ('1004', '018', "Tomás Vega Demo", '0.00', 'current', 'annual',
        dt.date(2024, 9, 1), 'standard'),
    ('1005', '003', "Lucía Fuentes Demo", '300.00', 'current', 'monthly',
        dt.date(2024, 4, 30), 'standard'),
    ]
STATES = [
    'draft', 'registered', 'awaiting_payment', 'paid', 'insurance_cancelled',
    'invoice_requested', 'invoice_delivered', 'done', 'cancelled']


def load(config):
    "Load the demo data with the proteus config, once"
    from proteus import Model
    Party = Model.get('party.party', config=config)
    if Party.find([('name', '=', DEALERS[0])]):
        return
    company = _company(config)
    accounts = _accounting(config, company)
    departments = _departments(config)
    _configuration(config, departments, accounts)
    dealers = [Party(name=n) for n in DEALERS]
    for dealer in dealers:
        _address(dealer, "Monterrey")
    Party.save(dealers)
    _users(config, dealers)
    plans = _plans(config, dealers)
    _liquidations(config, plans, accounts)
    _endorsements(config, plans)


def _company(config):
    from proteus import Model
    from trytond.modules.company.tests.tools import create_company
    Company = Model.get('company.company', config=config)
    User = Model.get('res.user', config=config)
    companies = Company.find([])
    if not companies:
        create_company(config=config)
        companies = Company.find([])
    company = companies[0]
    config._context = User.get_preferences(True, {})
    return company


def _accounting(config, company):
    "The accounts and the payment method the demo invoices with"
    from proteus import Model
    from trytond.modules.account.tests.tools import get_accounts
    PaymentMethod = Model.get('account.invoice.payment.method', config=config)
    # the chart, fiscal year and payment method come from tests/demo.py
    with config.set_context(language='en'):
        accounts = get_accounts(company, config=config)
    accounts['payment_method'], = PaymentMethod.find(
        [('company', '=', company.id)], limit=1)
    return accounts


def _departments(config):
    from proteus import Model
    Department = Model.get('insurance.department', config=config)
    departments = {}
    for code, name, contacts in DEPARTMENTS:
        found = Department.find([('code', '=', code)])
        if found:
            departments[code] = found[0]
            continue
        department = Department(name=name, code=code)
        for kind, value, label in contacts:
            contact = department.contacts.new(kind=kind, value=value)
            contact.label = label
        department.save()
        departments[code] = department
    return departments


def _configuration(config, departments, accounts):
    from proteus import Model
    Configuration = Model.get('distributor.configuration', config=config)
    configuration = Configuration(1)
    configuration.customer_service_department = departments['CA']
    configuration.early_collection_department = departments['COBT']
    configuration.extrajudicial_department = departments['COBEX']
    configuration.liquidation_account = accounts['revenue']
    configuration.save()


def _address(party, city):
    address = party.addresses[0] if party.addresses else (
        party.addresses.new())
    address.city = city


def _users(config, dealers):
    from proteus import Model
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    ModelData = Model.get('ir.model.data', config=config)

    def group(module, xml_id):
        return Group(ModelData.get_id(module, xml_id, config.context))
    Company = Model.get('company.company', config=config)
    company = User(config.user).company
    company = Company(company.id) if company else None
    for login, password, name, groups, dealer in [
            ('dealer1', 'dealer1123', "Usuario Distribuidora Demo",
                [('distributor_liquidation', 'group_dealer')], dealers[0]),
            ('desk', 'desk1234', "Mesa de Distribuidoras Demo",
                [('distributor_liquidation', 'group_distributor'),
                    ('distributor_liquidation', 'group_distributor_account')],
                None),
            ('manager', 'manager123', "Gerente Financiera Demo",
                [('distributor_liquidation', 'group_distributor_manager')],
                None),
            ]:
        if User.find([('login', '=', login)]):
            continue
        user = User(login=login, name=name, password=password)
        user.distributor = dealer
        for module, xml_id in groups:
            user.groups.append(group(module, xml_id))
        if company:
            if company.id not in [c.id for c in user.companies]:
                user.companies.append(company)
            user.company = company
        user.save()


def _plans(config, dealers):
    from proteus import Model
    Party = Model.get('party.party', config=config)
    Plan = Model.get('distributor.plan', config=config)
    plans = []
    for i, (group, member, customer_name, arrears, stage, frequency, start,
            plan_type) in enumerate(PLANS):
        customer = Party(name=customer_name)
        _address(customer, "Ciudad de México")
        customer.save()
        plan = Plan(group_code=group, member_code=member)
        plan.customer = customer
        plan.distributor = dealers[i % 2 if i < 4 else 0]
        plan.plan_type = plan_type
        plan.vehicle = "Sedán compacto %s" % (2022 + i % 3)
        plan.auto_policy_number = 'AUT-%s%s' % (group, member)
        plan.insurance_frequency = frequency
        plan.insurance_start_date = start
        plan.arrears_amount = Decimal(arrears)
        plan.collection_stage = stage
        for concept, amount in [
                ('capital', 85000 + 1000 * i), ('admin_fee', 4200),
                ('auto_insurance', 3100), ('life_insurance', 650),
                ('interest', 900), ('penalty', 0 if i % 3 else 250)]:
            line = plan.balance_lines.new(concept=concept)
            line.amount = Decimal(amount)
        plan.save()
        plans.append(plan)
    return plans


def _liquidations(config, plans, accounts):
    from proteus import Model
    Liquidation = Model.get('distributor.liquidation', config=config)
    Invoice = Model.get('account.invoice', config=config)
    today = dt.date.today()
    for plan, state in zip(plans, STATES):
        liquidation = Liquidation()
        liquidation.plan = plan
        liquidation.requested_by = 'customer' if plan.id % 2 else (
            'distributor')
        liquidation.agreed_amount = plan.quoted_amount - Decimal('500')
        if state == 'paid':
            liquidation.interest_waiver_amount = Decimal('900')
        liquidation.save()
        if state == 'draft':
            continue
        if state == 'cancelled':
            liquidation.cancel_reason = (
                "El cliente decidió continuar con su plan.")
            liquidation.click('cancel')
            continue
        liquidation.click('register')
        if state == 'registered':
            continue
        liquidation.click('request_payment')
        for document in liquidation.documents:
            document.received_on = today
        liquidation.save()
        if state == 'awaiting_payment':
            continue
        invoice = Invoice(liquidation.invoice.id)
        pay = invoice.click('pay')
        pay.form.amount = invoice.amount_to_pay
        pay.form.payment_method = accounts['payment_method']
        pay.execute('choice')
        liquidation.reload()
        if state == 'paid':
            continue
        liquidation.click('cancel_insurance')
        if state == 'insurance_cancelled':
            continue
        liquidation.click('request_invoice')
        if state == 'invoice_requested':
            continue
        liquidation.delivered_to = "Representante de la distribuidora"
        liquidation.click('deliver_invoice')
        if state == 'invoice_delivered':
            continue
        liquidation.click('done')


def _endorsements(config, plans):
    from proteus import Model
    Endorsement = Model.get('distributor.endorsement', config=config)
    today = dt.date.today()
    endorsement = Endorsement(plan=plans[7], kind='plan_cancellation')
    endorsement.bid_number = 'BID-0718'
    endorsement.cancellation_from = today
    endorsement.charge_removed_from = today
    endorsement.save()
    endorsement.click('submit')
    endorsement.click('approve')

    endorsement = Endorsement(plan=plans[0], kind='special_equipment')
    endorsement.effective_from = today
    endorsement.charge_from = today
    endorsement.reason = "Alta de equipo de gas natural."
    for kind, name in [('quote', 'cotizacion.pdf'),
            ('equipment_invoice', 'factura-equipo.pdf')]:
        attachment = endorsement.attachments.new(kind=kind)
        attachment.data = b'%PDF-1.4 demo'
        attachment.filename = name
    endorsement.save()
    endorsement.click('submit')

    endorsement = Endorsement(plan=plans[1], kind='data_correction')
    endorsement.correction_subject = 'vehicle'
    endorsement.current_value = "Color: azul"
    endorsement.new_value = "Color: rojo"
    endorsement.reason = "Error de captura en el color del vehículo."
    endorsement.save()

    endorsement = Endorsement(plan=plans[2], kind='other')
    endorsement.effective_from = today
    endorsement.charge_from = today
    endorsement.reason = "Pago de póliza por el resto del plan."
    attachment = endorsement.attachments.new(kind='payment_receipt')
    attachment.data = b'%PDF-1.4 demo'
    attachment.filename = 'recibo.pdf'
    endorsement.save()
    endorsement.click('submit')
    endorsement.rejection_reason = "El recibo no es legible."
    endorsement.click('reject')
