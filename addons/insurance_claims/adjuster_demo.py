# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Demo experts for insurance.adjuster.

The list reproduces the structure of Annex 2 of the claims norm [003]
(firm, manager, phone, e-mail, international firm represented) with
invented firms, people, phone numbers and example.com addresses only.
"""

__all__ = ['ADJUSTERS', 'KINDS', 'REGION_CODES', 'LINE_CODES']

KINDS = ('adjuster', 'investigator', 'average_inspector', 'medical_auditor')
REGION_CODES = ('LPZ', 'EAL', 'SCZ', 'CBBA')
LINE_CODES = (
    'AUTO', 'FIRE', 'THEFT', 'LIAB', 'AVIA', 'PA', 'MACH', 'ELEC', 'CAR',
    'BI', 'FID', 'BANK', 'HULL', 'TRANS', 'TRANSL')

ADJUSTERS = [
    {
        'firm': "Ajustadores Andinos S.R.L.",
        'kind': 'adjuster',
        'contact_name': "Mario Quispe Rojas",
        'phone': '+591 2 2000001',
        'email': 'gerencia@ajustadores-andinos.example.com',
        'represents': '',
        'region_codes': ['LPZ', 'EAL'],
        'line_codes': ['FIRE', 'THEFT', 'LIAB', 'CAR', 'BI'],
        },
    {
        'firm': "Peritajes & Ajustes del Illimani S.R.L.",
        'kind': 'adjuster',
        'contact_name': "Ana Lucía Mercado",
        'phone': '+591 2 2000002',
        'email': 'ana.mercado@peritajes-illimani.example.com',
        'represents': "Northgate International Loss Adjusters (Londres)",
        'region_codes': ['LPZ', 'EAL', 'SCZ', 'CBBA'],
        'line_codes': ['FIRE', 'MACH', 'ELEC', 'CAR', 'BI', 'AVIA'],
        },
    {
        'firm': "Valle & Roca Ajustadores S.R.L.",
        'kind': 'adjuster',
        'contact_name': "Diego Valle Arce",
        'phone': '+591 2 2000003',
        'email': 'dvalle@valleroca.example.com',
        'represents': '',
        'region_codes': ['LPZ'],
        'line_codes': ['AUTO', 'TRANS', 'TRANSL', 'LIAB'],
        },
    {
        'firm': "Estudio Técnico Altiplano S.R.L.",
        'kind': 'average_inspector',
        'contact_name': "Carlos Mamani Flores",
        'phone': '+591 2 2000004',
        'email': 'inspecciones@estudio-altiplano.example.com',
        'represents': "Meridian Claims Services International",
        'region_codes': ['LPZ', 'EAL'],
        'line_codes': ['TRANS', 'TRANSL', 'HULL'],
        },
    {
        'firm': "Probidad Ajustadores de Seguros",
        'kind': 'adjuster',
        'contact_name': "Rodrigo Salinas Vaca",
        'phone': '+591 4 4000005',
        'email': 'rsalinas@probidad-ajustes.example.com',
        'represents': '',
        'region_codes': ['CBBA'],
        'line_codes': ['AUTO', 'FIRE', 'THEFT', 'MACH', 'ELEC'],
        },
    {
        'firm': "Indagar Investigaciones S.A.",
        'kind': 'investigator',
        'contact_name': "Dra. Patricia Ortega Luna",
        'phone': '+591 2 2000006',
        'email': 'portega@indagar-investigaciones.example.com',
        'represents': "Global Fraud Inspection Network",
        'region_codes': ['LPZ', 'EAL', 'SCZ', 'CBBA'],
        'line_codes': ['FID', 'BANK', 'THEFT', 'AUTO'],
        },
    {
        'firm': "Cordillera Ajustadores S.R.L.",
        'kind': 'adjuster',
        'contact_name': "Javier Choque Torrez",
        'phone': '+591 3 3000007',
        'email': 'jchoque@cordillera-ajustadores.example.com',
        'represents': '',
        'region_codes': ['SCZ'],
        'line_codes': ['AUTO', 'FIRE', 'CAR', 'ELEC', 'MACH'],
        },
    {
        'firm': "Llanos Orientales Peritos Asociados S.R.L.",
        'kind': 'average_inspector',
        'contact_name': "Gabriela Suárez Peña",
        'phone': '+591 3 3000008',
        'email': 'gsuarez@llanos-peritos.example.com',
        'represents': '',
        'region_codes': ['SCZ', 'CBBA'],
        'line_codes': ['TRANS', 'TRANSL', 'MACH'],
        },
    {
        'firm': "Equilibrio / Ingeniería de Costos S.R.L.",
        'kind': 'adjuster',
        'contact_name': "Hernán Villca Apaza",
        'phone': '+591 2 2000009',
        'email': 'hvillca@equilibrio-costos.example.com',
        'represents': '',
        'region_codes': ['LPZ', 'CBBA'],
        'line_codes': ['CAR', 'MACH', 'BI'],
        },
    {
        'firm': "Centro de Auditoría Médica Integral",
        'kind': 'medical_auditor',
        'contact_name': "Dr. Óscar Terrazas Gil",
        'phone': '+591 4 4000010',
        'email': 'auditoria@camedica.example.com',
        'represents': '',
        'region_codes': ['CBBA', 'LPZ', 'EAL'],
        'line_codes': ['PA', 'AUTO', 'LIAB'],
        },
    {
        'firm': "Servicios de Reclamos Pampa S.R.L.",
        'kind': 'adjuster',
        'contact_name': "Lucía Aramayo Ríos",
        'phone': '+591 3 3000011',
        'email': 'laramayo@reclamos-pampa.example.com',
        'represents': "Atlas Marine & Aviation Adjusters",
        'region_codes': ['SCZ', 'LPZ'],
        'line_codes': ['AVIA', 'HULL', 'TRANS'],
        },
    ]
