# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Demo data of the claims: users, policies, adjusters and claims.

Invented people and example.com addresses only. Idempotent: nothing is
loaded when the demo policies exist.
"""
import datetime as dt
from decimal import Decimal

# login, name, group xml ids, region codes, employee name
USERS = [
    ('ejecutivo', "Luis Mamani Demo", ['group_claims_executive'],
        ['LPZ', 'EAL'], "Luis Mamani Demo"),
    ('jefe', "Jefe de Asistencia Demo", ['group_claims_regional_head'],
        ['LPZ'], None),
    ('subgerente', "Subgerente de Asistencia Demo",
        ['group_claims_deputy_manager'], [], None),
    ('gerentetec', "Gerente Técnico Demo",
        ['group_claims_technical_manager'], [], None),
    ('gerente', "Gerente General Demo", ['group_claims_general_manager'],
        [], None),
    ('nacional', "Oficina Nacional Demo", ['group_claims_national_office'],
        [], None),
    ('reaseguro', "Reaseguro Demo", ['group_claims_reinsurance'], [], None),
    ('siniestros', "Administración Siniestros Demo", ['group_claims_admin'],
        [], None),
    ]

# number, line code, insured, kind, region, facultative, object, coverages
POLICIES = [
    ('DEMO-AUTL-0001', 'AUTO', "Marcela Vargas Demo", 'natural', 'LPZ',
        False, "Toyota Corolla 2021, placa 1234-ABC",
        [("Daños propios", 20000), ("Responsabilidad civil", 10000),
            ("Robo total", 20000)]),
    ('DEMO-AUTL-0002', 'AUTO', "Transportes Andinos Demo S.R.L.", 'legal',
        'EAL', False, "Nissan Frontier 2023, placa 4567-DEF",
        [("Daños propios", 35000), ("Robo total", 35000)]),
    ('DEMO-INC-0001', 'FIRE', "Textiles del Altiplano Demo S.A.", 'legal',
        'LPZ', True, "Planta industrial, Av. Demo 100, El Alto",
        [("Edificio", 1500000), ("Maquinaria", 800000)]),
    ('DEMO-AUTL-0003', 'AUTO', "Gobierno Municipal Demo", 'state', 'SCZ',
        False, "Camioneta Ford Ranger 2020, placa 7890-GHI",
        [("Daños propios", 28000)]),
    ]


def _model(name, config):
    from proteus import Model
    return Model.get(name, config=config)


def _get_id(config, module, xml_id):
    ModelData = _model('ir.model.data', config)
    return ModelData.get_id(module, xml_id, config.context)


def _party(config, name, kind='natural'):
    Party = _model('party.party', config)
    parties = Party.find([('name', '=', name)])
    if parties:
        return parties[0]
    party = Party(name=name, insurance_party_kind=kind)
    party.save()
    return party


def _employee(config, company, name):
    Employee = _model('company.employee', config)
    employees = Employee.find([('party.name', '=', name)])
    if employees:
        return employees[0]
    employee = Employee(party=_party(config, name), company=company)
    employee.save()
    return employee


def password(login):
    "login + 123, padded to the 8 characters trytond requires"
    value = login + '123'
    if len(value) < 8:
        value = login + '1234'
    return value


def load_users(config, company, regions):
    User = _model('res.user', config)
    Group = _model('res.group', config)
    Lang = _model('ir.lang', config)
    Region = _model('insurance.region', config)
    Company = _model('company.company', config)
    spanish = Lang.find([('code', '=', 'es')])
    users = {}
    for login, name, groups, codes, employee_name in USERS:
        existing = User.find([('login', '=', login)])
        if existing:
            users[login] = existing[0]
            continue
        user = User(login=login, name=name, password=password(login))
        if spanish:
            user.language = spanish[0]
        user.companies.append(Company(company.id))
        user.company = Company(company.id)
        for xml_id in groups:
            user.groups.append(Group(
                    _get_id(config, 'insurance_claims', xml_id)))
        for code in codes:
            if code in regions:
                user.insurance_regions.append(Region(regions[code].id))
        employee = None
        if employee_name:
            employee = _employee(config, company, employee_name)
        elif login == 'jefe' and 'LPZ' in regions and regions['LPZ'].head:
            employee = regions['LPZ'].head
        if employee:
            Employee = _model('company.employee', config)
            user.employees.append(Employee(employee.id))
            user.employee = Employee(employee.id)
        user.save()
        users[login] = user
    return users


def load_adjusters(config, regions, lines):
    try:
        from .adjuster_demo import ADJUSTERS
    except ImportError:
        return []
    Adjuster = _model('insurance.adjuster', config)
    Region = _model('insurance.region', config)
    Line = _model('insurance.line', config)
    adjusters = []
    for values in ADJUSTERS:
        party = _party(config, values['firm'], 'legal')
        existing = Adjuster.find([('party', '=', party.id)])
        if existing:
            adjusters.append(existing[0])
            continue
        adjuster = Adjuster(party=party, kind=values.get('kind', 'adjuster'),
            contact_name=values.get('contact_name'),
            phone=values.get('phone'), email=values.get('email'),
            represents=values.get('represents') or None)
        for code in values.get('region_codes', []):
            if code in regions:
                adjuster.regions.append(Region(regions[code].id))
        for code in values.get('line_codes', []):
            if code in lines:
                adjuster.lines.append(Line(lines[code].id))
        adjuster.save()
        adjusters.append(adjuster)
    return adjusters


def load_policies(config, company, regions, lines):
    Policy = _model('insurance.policy', config)
    today = dt.date.today()
    bank = _party(config, "Financiera Demo S.A.", 'legal')
    policies = {}
    for (number, line, insured, kind, region, facultative, object_,
            coverages) in POLICIES:
        if line not in lines:
            continue
        policy = Policy(number=number, line=lines[line],
            insured=_party(config, insured, kind),
            start_date=today - dt.timedelta(days=120),
            end_date=today + dt.timedelta(days=245),
            premium_paid_until=today + dt.timedelta(days=60),
            issuing_region=regions.get(region),
            facultative_reinsurance=facultative,
            insured_object=object_)
        if line == 'AUTO':
            policy.preferred_beneficiary = bank
        for name, amount in coverages:
            policy.coverages.new(name=name, insured_amount=Decimal(amount))
        policy.save()
        policies[number] = policy
    return policies


def _claim(config, policy, region, executive, hours_ago, **values):
    Claim = _model('insurance.claim', config)
    Coverage = _model('insurance.policy.coverage', config)
    now = dt.datetime.now().replace(microsecond=0)
    claim = Claim(policy=policy, occurrence_region=region,
        executive=executive,
        notified_at=now - dt.timedelta(hours=hours_ago),
        occurred_at=now - dt.timedelta(hours=hours_ago + 3),
        reporter_name=values.pop('reporter_name', "Denunciante Demo"),
        reporter_phone=values.pop('reporter_phone', "+591 70000000"),
        reporter_email=values.pop('reporter_email', "denuncias@example.com"),
        channel=values.pop('channel', 'phone'))
    coverages = values.pop('coverages', [0])
    for index in coverages:
        claim.coverages.append(Coverage(policy.coverages[index].id))
    for name, value in values.items():
        setattr(claim, name, value)
    claim.save()
    return claim


def load_claims(config, policies, regions, executive):
    Request = _model('insurance.claim.document.request', config)
    Document = _model('insurance.claim.document', config)
    auto = policies.get('DEMO-AUTL-0001')
    fleet = policies.get('DEMO-AUTL-0002')
    fire = policies.get('DEMO-INC-0001')
    state = policies.get('DEMO-AUTL-0003')
    lpz, eal, scz = (regions.get(c) for c in ['LPZ', 'EAL', 'SCZ'])
    if auto and lpz:
        _claim(config, auto, lpz, executive, 2,
            description="Choque leve en estacionamiento",
            insured_object=auto.insured_object, channel='whatsapp')
        claim = _claim(config, auto, lpz, executive, 30,
            description="Colisión trasera en semáforo, Av. Arce",
            location="Av. Arce, La Paz",
            insured_object=auto.insured_object)
        claim.click('register')
        claim.inspected_at = claim.notified_at + dt.timedelta(hours=3)
        claim.inspection_report = "Parachoques y tapa de maletero dañados"
        claim.save()
        request = Request(claim=claim)
        for document in claim.documents[:3]:
            request.documents.append(Document(document.id))
        request.save()
        request.click('send')
    if fire and lpz:
        claim = _claim(config, fire, lpz, executive, 50,
            description="Incendio en el depósito de materia prima",
            insured_object=fire.insured_object, channel='email',
            coverages=[0, 1])
        claim.click('register')
    if fleet and eal:
        claim = _claim(config, fleet, eal, executive, 24 * 12,
            description="Robo del vehículo estacionado en la vía pública",
            insured_object=fleet.insured_object, theft=True,
            coverages=[1])
        claim.click('register')
    if state and scz:
        claim = _claim(config, state, scz, None, 24 * 20,
            description="Vuelco en carretera sin licencia vigente",
            insured_object=state.insured_object)
        claim.click('register')
        claim.decline_reason = ("El conductor no contaba con licencia de "
            "conducir vigente (exclusión de la póliza).")
        claim.click('decline')


def load(config):
    Policy = _model('insurance.policy', config)
    Company = _model('company.company', config)
    Region = _model('insurance.region', config)
    Line = _model('insurance.line', config)
    Configuration = _model('insurance.configuration', config)
    if Policy.find([('number', '=', POLICIES[0][0])]):
        load_approvals(config)
        load_settlement(config)
        return
    companies = Company.find()
    if not companies:
        return
    company = companies[0]
    regions = {r.code: r for r in Region.find()}
    lines = {l.code: l for l in Line.find()}
    configuration = Configuration(1)
    if not configuration.business_calendar_country:
        configuration.business_calendar_country = 'BO'
        configuration.xl_reinsurance_threshold = Decimal('100000')
        configuration.save()
    users = load_users(config, company, regions)
    load_adjusters(config, regions, lines)
    policies = load_policies(config, company, regions, lines)
    executive = users['ejecutivo'].employee if 'ejecutivo' in users else None
    load_claims(config, policies, regions, executive)
    load_approvals(config)
    load_settlement(config)


def _as_user(config, login):
    "Switch the proteus config to the demo user"
    User = _model('res.user', config)
    user, = User.find([('login', '=', login)])
    config.user = user.id
    config._context = User.get_preferences(True, {})


def load_approvals(config):
    """Approval demo: a delegation, a pending and an approved round and a
    reopening request; idempotent (nothing when a round exists)"""
    Approval = _model('insurance.claim.approval', config)
    Claim = _model('insurance.claim', config)
    Step = _model('insurance.claim.approval.step', config)
    Delegation = _model('insurance.approval.delegation', config)
    Reopen = _model('insurance.claim.reopen', config)
    User = _model('res.user', config)
    if Approval.find([]):
        return
    users = {u.login: u for u in User.find([('login', 'in', [
                        'ejecutivo', 'jefe', 'subgerente'])])}
    admin = config.user
    today = dt.date.today()
    if 'subgerente' in users and 'jefe' in users:
        Delegation(from_user=users['subgerente'], to_user=users['jefe'],
            start_date=today, end_date=today + dt.timedelta(days=15),
            reason="Vacaciones del subgerente",
            reference="CI-DEMO-001").save()
    claims = Claim.find([('state', '=', 'open')], order=[('id', 'ASC')])
    try:
        if claims and {'ejecutivo', 'jefe'} <= set(users):
            # fully signed: levels 1 and 2
            claim = claims[0]
            claim.approval_analysis = ("Colisión cubierta; presupuesto del "
                "taller revisado.")
            claim.save()
            claim.click('request_approval')
            for login, step in zip(['ejecutivo', 'jefe'],
                    Claim(claim.id).approvals[0].steps):
                _as_user(config, login)
                Step(step.id).click('sign')
            config.user = admin
            config._context = User.get_preferences(True, {})
        if len(claims) > 1:
            # pending: signed by the executive only
            claim = Claim(claims[1].id)
            claim.click('request_approval')
            if 'ejecutivo' in users:
                _as_user(config, 'ejecutivo')
                Step(Claim(claim.id).approvals[0].steps[0].id).click('sign')
    finally:
        config.user = admin
        config._context = User.get_preferences(True, {})
    declined = Claim.find([('state', '=', 'declined')], limit=1)
    if declined:
        reopen = Reopen(claim=declined[0],
            requested_reserve=Decimal('250.00'),
            description="Robo de la antena después del cierre",
            reason="Daños ocultos detectados en el taller")
        reopen.save()
        reopen.click('request')


def _settlement_accounting(config, company):
    "The accounts and the payment method the demo invoices with"
    from trytond.modules.account.tests.tools import get_accounts
    PaymentMethod = _model('account.invoice.payment.method', config)
    # the chart, fiscal year and payment method come from tests/demo.py
    with config.set_context(language='en'):
        accounts = get_accounts(company, config=config)
    accounts['payment_method'], = PaymentMethod.find(
        [('company', '=', company.id)], limit=1)
    return accounts


def _pay_invoice(config, invoice, method):
    "Post and pay the supplier or customer invoice as accounting does"
    from proteus import Wizard
    invoice.invoice_date = dt.date.today()
    if invoice.type == 'in':
        invoice.reference = "F-%s" % invoice.id
    invoice.save()
    invoice.click('post')
    if method:
        pay = Wizard('account.invoice.pay', [invoice], config=config)
        pay.form.payment_method = method
        pay.execute('choice')


def _supplier(config, name):
    Party = _model('party.party', config)
    parties = Party.find([('name', '=', name)])
    if parties:
        return parties[0]
    party = Party(name=name, insurance_party_kind='legal')
    party.addresses.new(city="La Paz")
    party.save()
    return party


def _ensure_address(config, party):
    Party = _model('party.party', config)
    party = Party(party.id)
    if not party.addresses:
        party.addresses.new(city="La Paz")
        party.save()


def load_settlement(config):
    """Settlement demo: work orders, payment orders with posted and paid
    supplier invoices, a recovery, a regulator letter and a closed claim;
    idempotent (nothing when a work order exists)"""
    Company = _model('company.company', config)
    WorkOrder = _model('insurance.work_order', config)
    Payment = _model('insurance.claim.payment', config)
    Recovery = _model('insurance.claim.recovery', config)
    Complaint = _model('insurance.claim.complaint', config)
    Claim = _model('insurance.claim', config)
    Step = _model('insurance.claim.approval.step', config)
    Approval = _model('insurance.claim.approval', config)
    Configuration = _model('insurance.configuration', config)
    User = _model('res.user', config)
    Invoice = _model('account.invoice', config)
    if WorkOrder.find([]):
        return
    companies = Company.find()
    approved = Claim.find([('state', '=', 'approved')], order=[('id', 'ASC')])
    if not companies or not approved:
        return
    accounts = _settlement_accounting(config, companies[0])
    configuration = Configuration(1)
    if not configuration.claims_expense_account:
        configuration.claims_expense_account = accounts['expense']
        configuration.recovery_account = accounts['revenue']
        configuration.save()
    method = accounts['payment_method']
    claim = approved[0]
    for party in [claim.insured, claim.policy.preferred_beneficiary]:
        if party:
            _ensure_address(config, party)
    workshop = _supplier(config, "Taller Automotriz Demo S.R.L.")
    vendor = _supplier(config, "Repuestos Andinos Demo S.A.")
    today = dt.date.today()
    admin = config.user
    claim.deductible_modality = 'work_orders'
    claim.save()

    def order(kind, supplier, lines):
        work_order = WorkOrder(claim=claim, kind=kind, supplier=supplier)
        for description, quantity, price in lines:
            line = work_order.lines.new(description=description)
            line.quantity = Decimal(quantity)
            line.unit_price = Decimal(price)
        work_order.issued_on = today - dt.timedelta(days=5)
        work_order.vehicle_entry_at = dt.datetime.combine(
            today - dt.timedelta(days=4), dt.time(9))
        work_order.save()
        work_order.click('request_signature')
        round_, = Approval.find([('origin', '=', str(work_order))])
        try:
            for login, step in zip(['ejecutivo', 'jefe'], round_.steps):
                _as_user(config, login)
                Step(step.id).click('sign')
        finally:
            config.user = admin
            config._context = User.get_preferences(True, {})
        return WorkOrder(work_order.id)

    repair = order('repair', workshop, [
            ("Enderezado y pintura de tapa de maletero", 1, 650),
            ("Mano de obra parachoques trasero", 1, 250)])
    repair.accepted_by = 'insured'
    repair.accepted_on = today
    repair.save()
    repair.click('accept')
    _pay_invoice(config, Invoice(repair.invoice.id), method)
    parts = order('purchase', vendor, [
            ("Parachoques trasero original", 1, 380),
            ("Faro trasero izquierdo", 1, 120)])
    parts.accepted_by = 'workshop'
    parts.accepted_on = today
    parts.save()
    parts.click('accept')
    _pay_invoice(config, Invoice(parts.invoice.id), method)

    adjuster = _supplier(config, "Ajustadores Asociados Demo S.R.L.")
    fee = Payment(claim=claim, kind='expense', payee=adjuster,
        amount=Decimal('150'), description="Honorarios del ajustador",
        planned_on=today)
    fee.save()
    fee.click('approve')
    _pay_invoice(config, Invoice(Payment(fee.id).invoice.id), method)

    third = _supplier(config, "Tercero Responsable Demo")
    recovery = Recovery(claim=claim, kind='subrogation_conciliation',
        counterparty=third, expected_amount=Decimal('900'),
        description="Conciliación con el conductor del vehículo tercero")
    recovery.save()
    recovery.click('start')
    recovery.recovered_amount = Decimal('600')
    recovery.save()
    recovery.click('recover')
    _pay_invoice(config, Invoice(Recovery(recovery.id).invoice.id), None)

    complaint = Complaint(claim=claim, reference="APS/DS/DEMO-0001",
        received_on=today,
        request="La APS solicita informe del estado del reclamo.")
    complaint.save()
    complaint.click('forward')
    complaint.response = ("El siniestro fue indemnizado mediante órdenes "
        "de trabajo al taller y al proveedor de repuestos.")
    complaint.save()
    complaint.click('submit_response')
    complaint.click('approve_response')
    complaint.click('send')

    claim = Claim(claim.id)
    claim.click('close')

    others = Claim.find([('state', '=', 'approval')], limit=1)
    if others:
        Payment(claim=others[0], kind='advance',
            payee=(others[0].policy.preferred_beneficiary
                or others[0].insured),
            amount=Decimal('500'), planned_on=today + dt.timedelta(days=30),
            description="Anticipo solicitado por el asegurado").save()
