# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Demo data of the directory: the company, the regions of both source
countries and the departments of the agents' guide (seed 000) with invented
example.com contacts.  Loaded by tests/demo.py; safe to run twice."""

# (code, name, kind, parent code)
REGIONS = [
    ('MX', "México", 'national', None),
    ('NORTE', "Territorio Norte", 'territory', 'MX'),
    ('TRC', "Torreón", 'city', 'NORTE'),
    ('TIJ', "Tijuana", 'city', 'NORTE'),
    ('MTY', "Monterrey", 'city', 'NORTE'),
    ('VER', "Veracruz", 'city', 'NORTE'),
    ('JRZ', "Ciudad Juárez", 'city', 'NORTE'),
    ('CHI', "Chihuahua", 'city', 'NORTE'),
    ('HMO', "Hermosillo", 'city', 'NORTE'),
    ('SUR', "Territorio Sur", 'territory', 'MX'),
    ('VSA', "Villahermosa", 'city', 'SUR'),
    ('PUE', "Puebla", 'city', 'SUR'),
    ('OCC', "Territorio Occidente", 'territory', 'MX'),
    ('GDL', "Guadalajara", 'city', 'OCC'),
    ('LEO', "León", 'city', 'OCC'),
    ('CENTRO', "Territorio Centro", 'territory', 'MX'),
    ('CDMX', "Ciudad de México", 'city', 'CENTRO'),
    ('SAT', "Satélite", 'city', 'CENTRO'),
    ('BO', "Bolivia - Oficina Nacional", 'national', None),
    ('LPZ', "La Paz", 'regional', 'BO'),
    ('EAL', "El Alto", 'regional', 'BO'),
    ('SCZ', "Santa Cruz", 'regional', 'BO'),
    ('CBBA', "Cochabamba", 'regional', 'BO'),
    ('ORU', "Oruro", 'regional', 'BO'),
    ('PTS', "Potosí", 'regional', 'BO'),
    ('CHQ', "Chuquisaca", 'regional', 'BO'),
    ('TJA', "Tarija", 'regional', 'BO'),
    ('BEN', "Beni", 'regional', 'BO'),
    ('PAN', "Pando", 'regional', 'BO'),
    ]

# Invented people: (region code, head, manager)
REGION_PEOPLE = [
    ('LPZ', "Ana Quispe Demo", "Carlos Rojas Demo"),
    ('EAL', "Luis Mamani Demo", "Carlos Rojas Demo"),
    ('SCZ', "María Suárez Demo", "Jorge Vaca Demo"),
    ('CBBA', "Rosa Claros Demo", "Pedro Arce Demo"),
    ('NORTE', "Laura Garza Demo", "Roberto Treviño Demo"),
    ('SUR', "Diana López Demo", "Héctor Ramos Demo"),
    ('OCC', "Sofía Navarro Demo", "Miguel Ortiz Demo"),
    ('CENTRO', "Elena Castro Demo", "Andrés Fuentes Demo"),
    ]

# Departments of the agents' guide: code, name, description,
# functions [(name, keywords)], contacts [(kind, value, label, region code)],
# requirements [(name, function index or None, mandatory)]
DEPARTMENTS = [
    ('SIN', "Siniestros",
        "Seguimiento de siniestros reportados y de sus valuaciones.",
        [("Seguimiento de casos",
                "siniestro reclamo caso estatus claim follow-up"),
            ("Seguimiento de valuaciones",
                "valuacion avaluo peritaje taller valuation")],
        [('email', 'siniestros@example.com', None, None),
            ('email', 'valuaciones@example.com', "Valuaciones", None)],
        [("Número de siniestro", None, True)]),
    ('MC', "Mesa de Control",
        "Folios de emisión, cotización, duplicados y órdenes de trabajo.",
        [("Proporciona folios de emisión", "folio emision poliza issue"),
            ("Proporciona folio para cotizaciones",
                "folio cotizacion cotizar quote quotation"),
            ("Proporciona folios para duplicados y PDFs",
                "duplicado pdf copia reimpresion duplicate"),
            ("Solicitud de órdenes de trabajo",
                "orden trabajo ot slip work order")],
        [('email', 'ot.torreon@example.com', "Órdenes de trabajo", 'TRC'),
            ('email', 'ot.tijuana@example.com', "Órdenes de trabajo", 'TIJ'),
            ('email', 'ot.monterrey@example.com', "Órdenes de trabajo",
                'MTY'),
            ('email', 'ot.veracruz@example.com', "Órdenes de trabajo", 'VER'),
            ('email', 'ot.juarez@example.com', "Órdenes de trabajo", 'JRZ'),
            ('email', 'ot.chihuahua@example.com', "Órdenes de trabajo",
                'CHI'),
            ('email', 'ot.hermosillo@example.com', "Órdenes de trabajo",
                'HMO'),
            ('email', 'ot.villahermosa@example.com', "Órdenes de trabajo",
                'VSA'),
            ('email', 'ot.puebla@example.com', "Órdenes de trabajo", 'PUE'),
            ('email', 'ot.guadalajara@example.com', "Órdenes de trabajo",
                'GDL'),
            ('email', 'ot.leon@example.com', "Órdenes de trabajo", 'LEO'),
            ('email', 'ot.cdmx@example.com', "Órdenes de trabajo", 'CDMX'),
            ('email', 'ot.centro@example.com', "Órdenes de trabajo",
                'CENTRO'),
            ('email', 'ot.satelite@example.com', "Órdenes de trabajo",
                'SAT')],
        [("Solicitud de orden de trabajo y slip (cuestionario de "
                "información mínima requerida para cada ramo para cotizar)",
                None, True)]),
    ('DEV', "Devoluciones",
        "Devoluciones de primas.",
        [("Gestión devoluciones de primas",
                "devolucion reembolso prima refund premium")],
        [('email', 'devoluciones@example.com', None, None)],
        [("Formato de solicitud de devoluciones", None, True),
            ("Estado de cuenta bancario con cuenta CLABE (obligatorio para "
                "persona moral)", None, False)]),
    ('CA', "Centro de Atención",
        "Atención telefónica 24/7 a agentes y asegurados.",
        [("Información general de las pólizas",
                "informacion poliza general policy information"),
            ("Emisión de facturas electrónicas",
                "factura electronica cfdi invoice"),
            ("Estatus de emisión, cobranza y siniestros",
                "estatus estado emision cobranza siniestro status"),
            ("Pago de primas con tarjeta American Express",
                "pago prima tarjeta american express amex card payment"),
            ("Reportes de siniestros y/o servicio de asistencia (24/7)",
                "reporte siniestro asistencia accidente choque grua "
                "report claim assistance")],
        [('phone', '01 800 000 1300', "Opción 5, 7 y 8", None),
            ('phone', '01 800 000 1300', "Opción 1 (siniestros y asistencia)",
                None)],
        [("Número de póliza", None, True),
            ("Número de folio", None, False),
            ("Número de siniestro", 2, False),
            ("Información del pagador", 3, True),
            ("Tarjeta American Express a la mano", 3, True),
            ("Número de asistencia", 4, False)]),
    ('COB', "Cobranza",
        "Aclaraciones y gestión de cobranza.",
        [("Aclaración de cobranza no aplicada",
                "cobranza pago no aplicado aclaracion collection"),
            ("Duplicidad de cargos y pagos referenciados",
                "duplicidad cargo doble pago referenciado"),
            ("Gestión de cobranza, prórrogas y convenios",
                "prorroga convenio cobranza extension"),
            ("Soporte liquidaciones WEB", "liquidacion web pago en linea"),
            ("Aclaración y depuración de cartera", "cartera depuracion"),
            ("Rehabilitación de pólizas canceladas por falta de pago",
                "rehabilitacion poliza cancelada falta pago reinstatement"),
            ("Referencias bancarias", "referencia bancaria banco")],
        [('email', 'cobranza@example.com', None, None),
            ('person', "Su ejecutivo de cobranza",
                "Dirigirse con su ejecutivo de cobranza correspondiente", None),
            ('web', 'https://www.example.com/pago-en-linea', "Pago en línea",
                None)],
        [("Clave de agente", None, True),
            ("Número de póliza", None, True),
            ("Soportes (estado de cuenta, recibo de caja, transferencia, "
                "etc.)", None, True)]),
    ('COM', "Comisiones",
        "Comisiones de agentes.",
        [("Aclaración de comisiones", "comision aclaracion commission"),
            ("Recibe y registra facturación de agentes por comisiones",
                "factura comision agente registro")],
        [('email', 'comisiones@example.com', None, None),
            ('email', 'facturas.agentes@example.com',
                "Facturas de comisiones", None)],
        [("Clave de agente", None, True),
            ("PDF y XML de la factura indicando la clave de agente", 1, True)]),
    ('CR', "Caja Remota",
        "Ingreso de pagos a cuentas concentradoras.",
        [("Ingreso de pagos realizados a cuentas concentradoras y cargos "
                "únicos", "pago deposito cuenta concentradora cargo unico")],
        [('email', 'cajaremota@example.com', None, None)],
        [("Formato de autorización de cargo a tarjeta", None, True),
            ("Carta de no siniestro, en caso de aplicar", None, False)]),
    ('AA', "Actualización de Agentes",
        "Expedientes de los agentes.",
        [("Actualiza expedientes de los agentes (cédulas, póliza de "
                "responsabilidad civil, cuentas bancarias, etc.)",
                "expediente agente cedula cuenta bancaria actualizar")],
        [('email', 'actualiza.agentes@example.com', None, None)],
        [("Documento a actualizar y clave de agente", None, True)]),
    ('UNE', "UNE (Unidad Especializada de Atención a Usuarios)",
        "Reclamaciones y consultas de usuarios.",
        [("Registro de reclamaciones y consultas",
                "reclamacion queja consulta usuario complaint")],
        [('web', 'https://une.example.com/buzon', "Buzón UNE", None)],
        [("Tipo de solicitud", None, True),
            ("Nombre del solicitante", None, True),
            ("Tipo de solicitante", None, True),
            ("Teléfono", None, True),
            ("Entidad federativa", None, True)]),
    ('POR', "Portales",
        "Portales de cotización, emisión y estados de cuenta.",
        [("Cotización y emisión de pólizas en el portal de emisión",
                "cotizacion emision portal quote issue"),
            ("Estatus de pólizas (pagadas, pendientes, canceladas, tarjetas "
                "aceptadas y rechazadas)",
                "estatus poliza pagada pendiente cancelada tarjeta rechazada"),
            ("Estados de cuenta de agentes",
                "estado cuenta agente statement")],
        [('web', 'https://portal.example.com/login', "Portal de agentes",
                None)],
        [("Usuario y contraseña (si no cuenta con acceso, solicitarlo a su "
                "ejecutivo de ventas)", None, True)]),
    ]

USERS = [
    # login, name, groups (xml ids of this module)
    ('lector', "Lectura Directorio Demo", ['group_directory_reader']),
    ('directorio', "Administración Directorio Demo",
        ['group_directory_admin']),
    ]


def get_company(config):
    from proteus import Model
    Company = Model.get('company.company', config=config)
    companies = Company.find()
    if companies:
        return companies[0]
    from trytond.modules.company.tests.tools import create_company
    Party = Model.get('party.party', config=config)
    party = Party(name="Aseguradora Demo S.A.")
    party.save()
    create_company(party=party, currency='USD', config=config)
    company, = Company.find()
    return company


def get_employee(config, company, name):
    from proteus import Model
    Employee = Model.get('company.employee', config=config)
    Party = Model.get('party.party', config=config)
    employees = Employee.find([('party.name', '=', name)])
    if employees:
        return employees[0]
    party = Party(name=name)
    party.save()
    employee = Employee(party=party, company=company)
    employee.save()
    return employee


def load_regions(config, company):
    from proteus import Model
    Region = Model.get('insurance.region', config=config)
    regions = {r.code: r for r in Region.find()}
    for code, name, kind, parent in REGIONS:
        if code in regions:
            continue
        region = Region(code=code, name=name, kind=kind)
        if parent:
            region.parent = regions[parent]
        region.save()
        regions[code] = region
    for code, head, manager in REGION_PEOPLE:
        region = regions[code]
        if not region.head:
            region.head = get_employee(config, company, head)
            region.manager = get_employee(config, company, manager)
            region.save()
    return regions


def load_departments(config, regions):
    from proteus import Model
    Department = Model.get('insurance.department', config=config)
    existing = {d.code for d in Department.find()}
    for sequence, (code, name, description, functions, contacts,
            requirements) in enumerate(DEPARTMENTS, 1):
        if code in existing:
            continue
        department = Department(
            code=code, name=name, description=description,
            sequence=sequence * 10)
        for name, keywords in functions:
            department.functions.new(name=name, keywords=keywords)
        for kind, value, label, region in contacts:
            department.contacts.new(
                kind=kind, value=value, label=label,
                region=regions[region] if region else None)
        department.save()
        for name, function, mandatory in requirements:
            department.requirements.new(
                name=name, mandatory=mandatory,
                function=(department.functions[function]
                    if function is not None else None))
        department.save()


def load_users(config, company):
    from proteus import Model
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Lang = Model.get('ir.lang', config=config)
    Company = Model.get('company.company', config=config)
    spanish, = Lang.find([('code', '=', 'es')])
    for login, name, groups in USERS:
        if User.find([('login', '=', login)]):
            continue
        user = User(login=login, name=name, password=login + '123')
        user.language = spanish
        user.companies.append(Company(company.id))
        user.company = Company(company.id)
        for xml_id in groups:
            user.groups.append(Group(ModelData.get_id(
                        'insurance_directory', xml_id, config.context)))
        user.save()


def load(config):
    from proteus import Model
    Lang = Model.get('ir.lang', config=config)
    spanish, = Lang.find([('code', '=', 'es')])
    if not spanish.translatable:
        spanish.click('load_translations')
    company = get_company(config)
    regions = load_regions(config, company)
    load_departments(config, regions)
    load_users(config, company)
