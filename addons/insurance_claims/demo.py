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
