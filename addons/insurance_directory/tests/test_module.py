# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import (
    AccessError, SQLConstraintError, ValidationError)
from trytond.modules.insurance_directory.department import normalize
from trytond.modules.insurance_directory.exceptions import (
    ContactValidationError, RegionValidationError)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


def create_directory():
    "Create a small directory: 2 regions under a country, 3 departments"
    pool = Pool()
    Region = pool.get('insurance.region')
    Department = pool.get('insurance.department')
    country, = Region.create([{
                'name': "México", 'code': 'MX', 'kind': 'national'}])
    north, south = Region.create([{
                'name': "Territorio Norte", 'code': 'NORTE',
                'kind': 'territory', 'parent': country.id,
                }, {
                'name': "Territorio Sur", 'code': 'SUR',
                'kind': 'territory', 'parent': country.id,
                }])
    tijuana, = Region.create([{
                'name': "Tijuana", 'code': 'TIJ', 'kind': 'city',
                'parent': north.id}])
    refunds, control, care = Department.create([{
                'name': "Devoluciones", 'code': 'DEV', 'sequence': 30,
                'functions': [('create', [{
                                'name': "Gestión devoluciones de primas",
                                'keywords': "reembolso refund",
                                }])],
                'contacts': [('create', [{
                                'kind': 'email',
                                'value': 'devoluciones@example.com',
                                }])],
                'requirements': [('create', [{
                                'name': "Formato de solicitud",
                                }, {
                                'name': "Estado de cuenta con CLABE",
                                'mandatory': False,
                                }])],
                }, {
                'name': "Mesa de Control", 'code': 'MC', 'sequence': 20,
                'functions': [('create', [{
                                'name': "Solicitud de órdenes de trabajo",
                                'keywords': "OT slip",
                                }, {
                                'name': "Proporciona folios de emisión",
                                }])],
                'contacts': [('create', [{
                                'kind': 'email',
                                'value': 'ot.general@example.com',
                                }, {
                                'kind': 'email',
                                'value': 'ot.sur@example.com',
                                'region': south.id,
                                }, {
                                'kind': 'email',
                                'value': 'ot.norte@example.com',
                                'region': north.id,
                                }, {
                                'kind': 'email',
                                'value': 'ot.tijuana@example.com',
                                'region': tijuana.id,
                                }])],
                }, {
                'name': "Centro de Atención", 'code': 'CA', 'sequence': 10,
                'functions': [('create', [{
                                'name': "Pago de primas con tarjeta",
                                }, {
                                'name': "Estatus de emisión y siniestros",
                                }])],
                'contacts': [('create', [{
                                'kind': 'phone',
                                'value': '01 800 000 1300',
                                'label': "Opción 5, 7 y 8",
                                }])],
                }])
    return {
        'country': country, 'north': north, 'south': south,
        'tijuana': tijuana, 'refunds': refunds, 'control': control,
        'care': care,
        }


def create_user(login, group_xml_id):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'login': login, 'name': login,
                'groups': [('add', [ModelData.get_id(
                                'insurance_directory', group_xml_id)])],
                }])
    return user


class InsuranceDirectoryTestCase(ModuleTestCase):
    "Test Insurance Directory module"
    module = 'insurance_directory'

    def test_normalize(self):
        "Text is compared without accents and case"
        self.assertEqual(
            normalize("Gestión DEVOLUCIONES de Primas"),
            ['gestion', 'devoluciones', 'de', 'primas'])
        self.assertEqual(normalize(None), [])

    @with_transaction()
    def test_contact_valid_values(self):
        "Valid e-mails, phones, web addresses and persons are accepted"
        pool = Pool()
        Contact = pool.get('insurance.department.contact')
        directory = create_directory()
        contacts = Contact.create([{
                    'department': directory['care'].id,
                    'kind': kind, 'value': value,
                    } for kind, value in [
                    ('email', 'mesa.control@example.com'),
                    ('email', 'First.Last+tag@sub.example.com'),
                    ('phone', '+52 (55) 5000-1300'),
                    ('phone', '01 800 000 1300'),
                    ('web', 'https://www.example.com/pago-en-linea'),
                    ('web', 'http://portal.example.com'),
                    ('person', "Su ejecutivo de cobranza"),
                    ]])
        self.assertEqual(len(contacts), 7)

    @with_transaction()
    def test_contact_invalid_values(self):
        "Invalid contact values are refused with a message naming the field"
        pool = Pool()
        Contact = pool.get('insurance.department.contact')
        directory = create_directory()
        for kind, value in [
                ('email', 'not-an-address'),
                ('email', 'two@@example.com'),
                ('email', 'name@example'),
                ('email', 'with space@example.com'),
                ('phone', 'call me'),
                ('phone', '12-34'),
                ('phone', '55 5000 1300 ext. 4'),
                ('web', 'www.example.com'),
                ('web', 'ftp://example.com'),
                ('web', 'https://exa mple.com'),
                ]:
            with self.subTest(kind=kind, value=value):
                with self.assertRaises(ContactValidationError) as cm:
                    Contact.create([{
                                'department': directory['care'].id,
                                'kind': kind, 'value': value,
                                }])
                self.assertIn('"Value"', cm.exception.message)
                self.assertIn("Centro de Atención", cm.exception.message)
        with self.assertRaises(ValidationError):
            Contact.create([{
                        'department': directory['care'].id,
                        'kind': 'person', 'value': '   ',
                        }])

    @with_transaction()
    def test_contact_change_kind_revalidates(self):
        "Changing the kind of a contact validates its value again"
        pool = Pool()
        Contact = pool.get('insurance.department.contact')
        directory = create_directory()
        contact, = directory['care'].contacts
        with self.assertRaises(ContactValidationError):
            Contact.write([contact], {'kind': 'email'})

    @with_transaction()
    def test_region_code(self):
        "Region codes are unique and without spaces"
        pool = Pool()
        Region = pool.get('insurance.region')
        create_directory()
        with self.assertRaises(RegionValidationError):
            Region.create([{'name': "Bad", 'code': 'LA PAZ'}])
        with self.assertRaises(SQLConstraintError):
            Region.create([{'name': "Other North", 'code': 'NORTE'}])

    @with_transaction()
    def test_region_recursion(self):
        "A region cannot be its own ancestor"
        pool = Pool()
        Region = pool.get('insurance.region')
        directory = create_directory()
        with self.assertRaises(UserError):
            Region.write([directory['country']], {
                    'parent': directory['tijuana'].id})

    @with_transaction()
    def test_who_handles_accents_and_case(self):
        "The finder ignores accents and case and matches word variants"
        pool = Pool()
        Department = pool.get('insurance.department')
        directory = create_directory()
        for query in [
                "devolucion", "DEVOLUCIÓN de prima", "devoluciones",
                "Gestion Devoluciones", "reembolso"]:
            with self.subTest(query=query):
                results = Department.who_handles(query)
                self.assertTrue(results)
                self.assertEqual(
                    results[0]['department'], directory['refunds'].id)
                self.assertEqual(
                    results[0]['function'], "Gestión devoluciones de primas")

    @with_transaction()
    def test_who_handles_result(self):
        "A result gives the department, function, contacts and requirements"
        pool = Pool()
        Department = pool.get('insurance.department')
        directory = create_directory()
        result = Department.who_handles("devolución de primas")[0]
        self.assertEqual(result, {
                'department': directory['refunds'].id,
                'department_name': "Devoluciones",
                'function': "Gestión devoluciones de primas",
                'function_id': directory['refunds'].functions[0].id,
                'contacts': [{
                        'kind': 'email',
                        'value': 'devoluciones@example.com',
                        'label': '',
                        'region': None,
                        }],
                'requirements': [
                    "Formato de solicitud", "Estado de cuenta con CLABE"],
                })

    @with_transaction()
    def test_who_handles_ranking(self):
        "Functions matching more of the question rank first"
        pool = Pool()
        Department = pool.get('insurance.department')
        create_directory()
        results = Department.who_handles("pago de primas con tarjeta")
        functions = [r['function'] for r in results]
        self.assertEqual(functions[0], "Pago de primas con tarjeta")
        self.assertIn("Gestión devoluciones de primas", functions[1:])
        self.assertEqual(len(functions), len(set(functions)))

    @with_transaction()
    def test_who_handles_region_contacts_first(self):
        "The region's contacts come first, then the general ones"
        pool = Pool()
        Department = pool.get('insurance.department')
        directory = create_directory()

        def contacts(region):
            result = Department.who_handles("orden de trabajo", region)[0]
            return [c['value'] for c in result['contacts']]

        self.assertEqual(contacts(directory['tijuana'].id), [
                'ot.tijuana@example.com', 'ot.norte@example.com',
                'ot.general@example.com'])
        self.assertEqual(contacts(directory['south'].id), [
                'ot.sur@example.com', 'ot.general@example.com'])
        self.assertEqual(contacts(None)[0], 'ot.general@example.com')
        self.assertEqual(len(contacts(None)), 4)

    @with_transaction()
    def test_who_handles_nothing(self):
        "Empty, stop-word-only or unknown questions give an empty list"
        pool = Pool()
        Department = pool.get('insurance.department')
        create_directory()
        for query in ['', '   ', "de la", "xyzzy", "?!", None, 42]:
            with self.subTest(query=query):
                self.assertEqual(Department.who_handles(query), [])

    @with_transaction()
    def test_who_handles_inactive_department(self):
        "Inactive departments are not proposed"
        pool = Pool()
        Department = pool.get('insurance.department')
        directory = create_directory()
        Department.write([directory['refunds']], {'active': False})
        self.assertEqual(Department.who_handles("devoluciones"), [])

    @with_transaction()
    def test_reader_cannot_write(self):
        "A directory reader reads the directory but cannot change it"
        pool = Pool()
        Department = pool.get('insurance.department')
        Contact = pool.get('insurance.department.contact')
        directory = create_directory()
        reader = create_user('reader', 'group_directory_reader')
        transaction = Transaction()
        with transaction.set_user(reader.id), \
                transaction.set_context(_check_access=True):
            departments = Department.search([])
            self.assertEqual(len(departments), 3)
            self.assertTrue(Department.who_handles("devoluciones"))
            with self.assertRaises(AccessError):
                Department.write([directory['refunds']], {'name': "X"})
            with self.assertRaises(AccessError):
                Department.create([{'name': "New", 'code': 'NEW'}])
            with self.assertRaises(AccessError):
                Contact.create([{
                            'department': directory['refunds'].id,
                            'kind': 'email',
                            'value': 'x@example.com',
                            }])
        self.assertEqual(directory['refunds'].name, "Devoluciones")

    @with_transaction()
    def test_outsider_cannot_read(self):
        "A user outside the directory groups cannot read departments"
        pool = Pool()
        Department = pool.get('insurance.department')
        User = pool.get('res.user')
        create_directory()
        outsider, = User.create([{'login': 'outsider', 'name': "Outsider"}])
        transaction = Transaction()
        with transaction.set_user(outsider.id), \
                transaction.set_context(_check_access=True):
            with self.assertRaises(AccessError):
                Department.search([])

    @with_transaction()
    def test_admin_can_write(self):
        "A directory administrator maintains the directory"
        pool = Pool()
        Department = pool.get('insurance.department')
        directory = create_directory()
        admin = create_user('diradmin', 'group_directory_admin')
        transaction = Transaction()
        with transaction.set_user(admin.id), \
                transaction.set_context(_check_access=True):
            Department.write([directory['refunds']], {
                    'contacts': [('create', [{
                                    'kind': 'web',
                                    'value': 'https://example.com/refunds',
                                    }])],
                    })
        self.assertEqual(len(directory['refunds'].contacts), 2)


    @with_transaction()
    def test_password_fields_hidden(self):
        "Nobody reads, searches or orders users by password hash over RPC"
        pool = Pool()
        User = pool.get('res.user')
        Department = pool.get('insurance.department')
        reader = create_user('reader', 'group_directory_reader')
        User.write([reader], {'password': 'reader-secret-1'})
        transaction = Transaction()
        for user_id in [reader.id, 1]:
            with transaction.set_user(user_id), \
                    transaction.set_context(_check_access=True):
                for name in ['password_hash', 'password_reset']:
                    with self.subTest(user=user_id, field=name):
                        domain = [
                            ('login', '=', 'reader'),
                            (name, 'like', '$argon2%'),
                            ]
                        with self.assertRaises(AccessError):
                            User.search(domain)
                        with self.assertRaises(AccessError):
                            User.search_count(domain)
                        with self.assertRaises(AccessError):
                            User.search([], order=[(name, 'ASC')])
                        with self.assertRaises(AccessError):
                            User.search([('create_uid.' + name, '!=', None)])
                        with self.assertRaises(AccessError):
                            User.search([('create_uid', 'where',
                                        [(name, '!=', None)])])
                        with self.assertRaises(AccessError):
                            Department.search([('create_uid', 'where',
                                        [(name, 'like', '$argon2%')])])
                        with self.assertRaises(AccessError):
                            User.read([reader.id], [name])
                        with self.assertRaises(AccessError):
                            User.export_data([reader], [name])
                self.assertEqual(
                    User.search([('login', '=', 'reader')]), [reader])
                # a client reading every eager field (proteus) still reads
                eager = [n for n, d in User.fields_get().items()
                    if d['loading'] == 'eager']
                self.assertTrue(User.read([reader.id], eager))
        with transaction.set_user(1), \
                transaction.set_context(_check_access=True):
            # the administrator still sets passwords and copies users
            User.write([reader], {'password': 'reader-secret-2'})
            copy, = User.copy([reader])
            self.assertNotEqual(copy.login, reader.login)
            User.write([copy], {'email': 'copy@example.com'})
            with patch('trytond.res.user._send_email'):
                User.reset_password([copy])
        self.assertTrue(User(copy.id).password_reset)
        # the login reads the hash in SQL
        self.assertEqual(User.get_login(
                'reader', {'password': 'reader-secret-2'}), reader.id)
        self.assertIsNone(User.get_login(
                'reader', {'password': 'reader-secret-1'}))


del ModuleTestCase
