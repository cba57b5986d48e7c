"""A hostile client over JSON-RPC: the server enforces every control.

A real trytond on the demo database (the harness of the browser tests,
started with the production configuration of docker/trytond.conf adapted to
the test database), and a plain HTTP client speaking sao's protocol: it logs
in as the demo users and replays what a user could send by hand, with any
values.  Each attempt must be refused with a clear error (a UserError whose
message names the field, never an internal error) and change nothing: the
records are read again, as admin, after each attempt.
"""
import base64
import configparser
import datetime as dt
import http.client
import json
import os
import sys
import threading
import unittest
import urllib.parse
from decimal import Decimal

from .browser import Backoffice
from .runner import ROOT

PRODUCTION_CONFIG = os.path.join(ROOT, 'docker', 'trytond.conf')
# The demo users (README "Demo users")
PASSWORDS = {
    'admin': 'admin',
    'ejecutivo': 'ejecutivo123',
    'jefe': 'jefe1234',
    'siniestros': 'siniestros123',
    'dealer1': 'dealer1123',
    'desk': 'desk1234',
    }
# Two client networks, in front of the server's (test) proxy
NETWORK_A = '203.0.113.7'
NETWORK_B = '198.51.100.20'


def encode(value):
    "sao's JSON encoding of the values JSON has no type for"
    if isinstance(value, Decimal):
        return {'__class__': 'Decimal', 'decimal': str(value)}
    if isinstance(value, dt.datetime):
        return {'__class__': 'datetime', 'year': value.year,
            'month': value.month, 'day': value.day, 'hour': value.hour,
            'minute': value.minute, 'second': value.second,
            'microsecond': value.microsecond}
    if isinstance(value, dt.date):
        return {'__class__': 'date', 'year': value.year,
            'month': value.month, 'day': value.day}
    if isinstance(value, bytes):
        return {'__class__': 'bytes',
            'base64': base64.b64encode(value).decode()}
    raise TypeError(repr(value))


def decode(dct):
    kind = dct.get('__class__')
    if kind == 'Decimal':
        return Decimal(dct['decimal'])
    if kind == 'date':
        return dt.date(dct['year'], dct['month'], dct['day'])
    if kind == 'datetime':
        return dt.datetime(dct['year'], dct['month'], dct['day'],
            dct['hour'], dct['minute'], dct['second'], dct['microsecond'])
    if kind == 'timedelta':
        return dt.timedelta(seconds=dct['seconds'])
    if kind == 'bytes':
        return base64.b64decode(dct['base64'])
    return dct


class HTTPError(Exception):
    "The server answered with an HTTP error status"

    def __init__(self, status, body):
        super().__init__(status, body[:500])
        self.status = status


class RPCError(Exception):
    "The server answered a JSON-RPC error"

    def __init__(self, error):
        super().__init__(error)
        self.error = error

    @property
    def kind(self):
        return self.error[0]

    @property
    def message(self):
        "The message of a UserError (with its description)"
        if self.kind == 'UserError':
            message, description = self.error[1][:2]
            return '%s %s' % (message, description or '')
        return str(self.error)


class Client:
    "A JSON-RPC client speaking sao's protocol"

    def __init__(self, url, database, forwarded_for=None):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.database = database
        self.forwarded_for = forwarded_for
        self.authorization = None
        self.context = {}
        self.counter = 0
        # the device cookie sao keeps per database and login (localStorage)
        self.device_cookie = None

    def post(self, path, method, params):
        self.counter += 1
        body = json.dumps(
            {'id': self.counter, 'method': method, 'params': params},
            default=encode)
        headers = {'Content-Type': 'application/json'}
        if self.authorization:
            headers['Authorization'] = self.authorization
        if self.forwarded_for:
            headers['X-Forwarded-For'] = self.forwarded_for
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=120)
        try:
            connection.request('POST', path, body, headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise HTTPError(response.status, data.decode(errors='replace'))
        result = json.loads(data, object_hook=decode)
        if 'error' in result:
            raise RPCError(result['error'])
        return result['result']

    def __call__(self, method, *params):
        return self.post('/%s/rpc/' % self.database, method, list(params))

    def login(self, login, password=None, language='es'):
        "Log in as sao does: with the device cookie, then renew it"
        if password is None:
            password = PASSWORDS[login]
        user_id, session = self('common.db.login', login, {
                'password': password,
                'device_cookie': self.device_cookie,
                }, language)[:2]
        self.authorization = 'Session ' + base64.b64encode(
            ('%s:%s:%s' % (login, user_id, session)).encode()).decode()
        self.login_name = login
        self.user_id = user_id
        self.device_cookie = self(
            'model.res.user.device.renew', self.device_cookie, {})
        self.context = self('model.res.user.get_preferences', True, {})
        return self

    def model(self, model, method, *args):
        "Call model.method with the user's context, as sao does"
        return self('model.%s.%s' % (model, method), *args, self.context)

    def search_read(self, model, domain, fields, **context):
        return self('model.%s.search_read' % model, domain, 0, None, None,
            fields, dict(self.context, **context))


class HostileBackoffice(Backoffice):
    "The backoffice served with the production settings"

    def start(self):
        self.config = self.production_config()
        super().start()

    def env(self, **extra):
        env = super().env(**extra)
        if 'TRYTOND_WEB__LISTEN' in extra:
            # the server, not the build of the database
            env['TRYTOND_CONFIG'] = self.config
        return env

    def production_config(self):
        """docker/trytond.conf adapted to the test database: what places
        the files and processes (paths, listen address, queue worker,
        cache channels) is the harness's; the policies (database list,
        sessions, login throttling, passwords, request limits) stay"""
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(PRODUCTION_CONFIG)
        for section, option in [
                ('database', 'uri'), ('database', 'path'),
                ('web', 'listen'), ('web', 'root'),
                ('queue', 'worker'), ('cache', 'clean_timeout')]:
            if parser.has_section(section):
                parser.remove_option(section, option)
        if not parser.has_section('web'):
            parser.add_section('web')
        # The test client is the reverse proxy in front of the server: it
        # presents clients from several IP networks (X-Forwarded-For)
        parser.set('web', 'num_proxies', '1')
        path = os.path.join(self.tmp, 'trytond.conf')
        with open(path, 'w') as fp:
            parser.write(fp)
        return path


class HostileClientTestCase(unittest.TestCase):
    "Test that a hostile JSON-RPC client cannot pass the server's controls"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backoffice = HostileBackoffice()
        try:
            cls.backoffice.start()
        except Exception:
            cls.backoffice.stop()
            raise
        cls.clients = {}
        try:
            for login in PASSWORDS:
                cls.clients[login] = cls.client().login(login)
        except Exception:
            cls.tearDownClass()
            raise
        cls.admin = cls.clients['admin']

    @classmethod
    def tearDownClass(cls):
        log = cls.backoffice.server_log()
        if 'Traceback' in log:
            print("\nserver errors:\n" + log[log.index('Traceback'):],
                file=sys.stderr)
        cls.backoffice.stop()
        super().tearDownClass()

    @classmethod
    def client(cls, forwarded_for=None):
        return Client(cls.backoffice.url, cls.backoffice.database,
            forwarded_for=forwarded_for)

    # helpers

    def read(self, model, ids, fields):
        "Read as admin, in order"
        records = self.admin.model(model, 'read', list(ids), list(fields))
        by_id = {r['id']: r for r in records}
        return [by_id[i] for i in ids]

    def find(self, model, domain, fields=('id',), **context):
        return self.admin.search_read(model, domain, list(fields), **context)

    def count(self, model, domain=()):
        return self.admin.model(model, 'search_count', list(domain))

    def label(self, model, field):
        "The field's label in the user's language (Spanish)"
        return self.admin.model(
            model, 'fields_get', [field])[field]['string']

    def assertRefused(self, call, *args, kinds=('UserError',), names=()):
        "The call is refused with a UserError naming names, or HTTP 403"
        with self.assertRaises((RPCError, HTTPError)) as cm:
            call(*args)
        exception = cm.exception
        if isinstance(exception, HTTPError):
            self.assertEqual(exception.status, 403, exception)
            return exception
        self.assertIn(exception.kind, kinds,
            "not a UserError (an internal error?): %s" % (exception.error,))
        for name in names:
            self.assertIn(name, exception.message)
        return exception

    def assertUnchanged(self, model, record_id, before):
        after, = self.read(model, [record_id], list(before))
        self.assertEqual(after, before)

    def claims(self, *domain):
        return self.find('insurance.claim', list(domain), [
                'number', 'state', 'occurrence_region', 'insured',
                'paid_amount', 'reserve_amount', 'company'])

    def region(self, code):
        region, = self.find('insurance.region', [('code', '=', code)])
        return region['id']

    # 1. payment orders

    def test_extraordinary_payment_not_self_approved(self):
        "An executive cannot create and approve an extraordinary payment"
        executive = self.clients['ejecutivo']
        claim = self.claims(
            ('state', 'in', ['open', 'approval']),
            ('occurrence_region', '=', self.region('LPZ')))[0]
        invoices = self.count('account.invoice')
        payments = self.count('insurance.claim.payment')
        values = {
            'claim': claim['id'],
            'kind': 'extraordinary',
            'amount': Decimal('50000'),
            'payee': claim['insured'],
            'description': "Gasto extraordinario",
            }
        self.assertRefused(executive.model, 'insurance.claim.payment',
            'create', [dict(values, round_approved=True)],
            names=[self.label('insurance.claim.payment', 'round_approved')])
        self.assertEqual(self.count('insurance.claim.payment'), payments)

        # without the flag a draft order may be created, never approved
        try:
            payment_id, = executive.model(
                'insurance.claim.payment', 'create', [values])
        except RPCError as exception:
            self.assertEqual(exception.kind, 'UserError', exception.error)
        else:
            self.assertRefused(executive.model, 'insurance.claim.payment',
                'approve', [payment_id])
            payment, = self.read('insurance.claim.payment', [payment_id],
                ['state', 'invoice', 'round_approved'])
            self.assertEqual(payment['state'], 'draft')
            self.assertIsNone(payment['invoice'])
            self.assertFalse(payment['round_approved'])
        self.assertEqual(self.count('account.invoice'), invoices)

    # 2. password hashes

    def test_password_hash_not_searchable(self):
        "Nobody searches users by their password hash"
        domain = [('login', '=', 'admin'),
            ('password_hash', 'like', '$argon2%')]
        for login in ['ejecutivo', 'admin']:
            with self.subTest(login=login):
                self.assertRefused(self.clients[login].model,
                    'res.user', 'search_count', domain)
                self.assertRefused(self.clients[login].model,
                    'res.user', 'search_count',
                    [('create_uid.password_hash', 'like', '$%')])

    # 3. the workflow by write

    def attempt_writes(self, client, model, record_id, attempts):
        "Each write is refused with an error naming the field; no change"
        for name, value in attempts:
            before, = self.read(model, [record_id], [name])
            with self.subTest(model=model, field=name, value=value):
                self.assertRefused(client.model, model, 'write',
                    [record_id], {name: value},
                    names=[self.label(model, name)])
                self.assertUnchanged(model, record_id, before)

    def test_claim_workflow_by_write(self):
        "An executive cannot move a claim by writing its decision fields"
        executive = self.clients['ejecutivo']
        claims = self.claims(
            ('state', '=', 'open'),
            ('occurrence_region', 'in',
                [self.region('LPZ'), self.region('EAL')]))
        claim = claims[0]
        other, = self.claims(
            ('number', '!=', None), ('id', '!=', claim['id']))[:1]
        self.attempt_writes(executive, 'insurance.claim', claim['id'], [
                ('state', 'approved'),
                ('state', 'closed'),
                ('number', other['number']),
                ('paid_amount', Decimal('1')),
                ('reserve_amount', Decimal('1')),
                ])
        count = self.count('insurance.claim')
        self.assertRefused(executive.model, 'insurance.claim', 'create', [{
                    'policy': self.find('insurance.policy', [])[0]['id'],
                    'occurrence_region': self.region('LPZ'),
                    'state': 'approved',
                    'number': 'SIN-HOSTIL-0001',
                    }])
        self.assertEqual(self.count('insurance.claim'), count)

    def test_invoiced_payment_by_write(self):
        "An invoiced payment order's state and amounts stay"
        executive = self.clients['ejecutivo']
        payment = self.find('insurance.claim.payment',
            [('invoice', '!=', None)], ['state'])[0]
        self.attempt_writes(
            executive, 'insurance.claim.payment', payment['id'], [
                ('state', 'draft'),
                ('amount', Decimal('99999')),
                ('paid_amount', Decimal('0')),
                ])

    def test_work_order_by_write(self):
        "A work order's state and number stay"
        executive = self.clients['ejecutivo']
        order, = self.find('insurance.work_order',
            [('number', '!=', None)], ['number'])[:1]
        self.attempt_writes(
            executive, 'insurance.work_order', order['id'], [
                ('state', 'draft'),
                ('number', 'OT-HOSTIL-0001'),
                ])

    def dealer_liquidations(self):
        dealer1 = self.clients['dealer1']
        return dealer1.search_read('distributor.liquidation', [], [
                'state', 'folio', 'plan', 'quoted_amount',
                'routing_department'])

    def test_liquidation_by_write(self):
        "A dealer cannot end, renumber or reroute its request by writing"
        dealer1 = self.clients['dealer1']
        liquidations = self.dealer_liquidations()
        draft = [l for l in liquidations if l['state'] == 'draft'][0]
        registered = [l for l in liquidations if l['folio']
            and l['state'] not in {'done', 'cancelled'}][0]
        departments = self.find('insurance.department', [
                ('id', '!=', draft['routing_department'])])
        today = dt.date.today()
        self.attempt_writes(
            dealer1, 'distributor.liquidation', draft['id'], [
                ('state', 'done'),
                ('folio', 'FOL-HOSTIL'),
                ('routing_department', departments[0]['id']),
                ('quoted_amount', Decimal('1')),
                ('payment_received_on', today),
                ('acknowledged_on', today),
                ('invoice_delivered_on', today),
                ])
        self.attempt_writes(
            dealer1, 'distributor.liquidation', registered['id'], [
                ('state', 'done'),
                ('folio', draft['folio'] or 'FOL-HOSTIL'),
                ])

    def test_endorsement_by_write(self):
        "A dealer cannot approve its endorsement by writing"
        dealer1 = self.clients['dealer1']
        endorsement = dealer1.search_read('distributor.endorsement',
            [('state', '=', 'submitted')], ['state'])[0]
        self.attempt_writes(
            dealer1, 'distributor.endorsement', endorsement['id'], [
                ('state', 'approved'),
                ])

    # 4. the plan's balance

    def test_dealer_plan_balance(self):
        "A dealer cannot lower its plan's arrears or balance (95,200 stays)"
        dealer1 = self.clients['dealer1']
        plan, = dealer1.search_read('distributor.plan', [
                ('group_code', '=', '1002'), ('member_code', '=', '014')],
            ['arrears_amount', 'balance_lines', 'quoted_amount'])
        self.assertEqual(plan['quoted_amount'], Decimal('95200'))
        for values in [
                {'arrears_amount': Decimal('0')},
                {'balance_lines': [('write', plan['balance_lines'],
                            {'amount': Decimal('0')})]},
                {'balance_lines': [('delete', plan['balance_lines'])]},
                ]:
            with self.subTest(values=values):
                self.assertRefused(dealer1.model, 'distributor.plan',
                    'write', [plan['id']], values)
        self.assertRefused(dealer1.model, 'distributor.plan.balance_line',
            'write', plan['balance_lines'], {'amount': Decimal('0')})
        self.assertRefused(dealer1.model, 'distributor.plan.balance_line',
            'delete', plan['balance_lines'])
        after, = self.read('distributor.plan', [plan['id']],
            ['arrears_amount', 'balance_lines', 'quoted_amount'])
        self.assertEqual(after, plan)

    # 5. the reports follow the claims' region rules

    def test_reports_of_other_regions(self):
        "The La Paz head sees no El Alto row in the claims reports"
        jefe = self.clients['jefe']
        el_alto = self.region('EAL')
        period = {
            'from_date': dt.date.today() - dt.timedelta(days=400),
            'to_date': dt.date.today() + dt.timedelta(days=1),
            }
        self.assertTrue(self.find('insurance.claim.daily',
                [('region', '=', el_alto)], **period),
            "the demo has an open claim in El Alto")
        for model in ['insurance.claim.daily',
                'insurance.claim.reserve_movement', 'insurance.claim.sla']:
            with self.subTest(model=model):
                rows = jefe.search_read(model, [], ['region'], **period)
                self.assertNotIn(el_alto, [r['region'] for r in rows])
                self.assertEqual(jefe.search_read(model,
                        [('region', '=', el_alto)], ['id'], **period), [])

    # 6. the settings

    def test_settings_not_deleted(self):
        "The claims administrator cannot delete the claims settings"
        siniestros = self.clients['siniestros']
        fields = ['initial_reserve_ratio', 'decision_days',
            'claims_expense_account']
        before, = self.read('insurance.configuration', [1], fields)
        self.assertRefused(siniestros.model, 'insurance.configuration',
            'delete', [1])
        self.assertUnchanged('insurance.configuration', 1, before)
        self.assertIsNotNone(before['claims_expense_account'])

    # 7. approval steps

    def test_pending_step_comment(self):
        "Only who may sign a step writes its comment"
        siniestros = self.clients['siniestros']
        step = self.find('insurance.claim.approval.step', [
                ('state', '=', 'to_sign'),
                ('level.level', '>=', 2),
                ], ['comment', 'state'])[0]
        for values in [
                {'comment': "Aprobado por administración"},
                {'condition_text': "Pagar sin franquicia"},
                {'condition_amount': Decimal('1')},
                {'waive_adjuster': True},
                ]:
            before, = self.read('insurance.claim.approval.step',
                [step['id']], list(values))
            with self.subTest(values=values):
                self.assertRefused(siniestros.model,
                    'insurance.claim.approval.step', 'write',
                    [step['id']], values)
                self.assertUnchanged(
                    'insurance.claim.approval.step', step['id'], before)

    # 8. reading what one must not

    def test_read_foreign_records(self):
        "Other dealers' customers, the desk's invoices, claims for the desk"
        dealer1 = self.clients['dealer1']
        executive = self.clients['ejecutivo']
        desk = self.clients['desk']
        own = {p['customer'] for p in dealer1.search_read(
                'distributor.plan', [], ['customer'])}
        foreign = [p for p in self.find('distributor.plan', [],
                ['customer', 'distributor'])
            if p['customer'] not in own]
        self.assertTrue(foreign, "the demo has another dealer's plans")
        customer = foreign[0]['customer']
        self.assertEqual(dealer1.model('party.party', 'search',
                [('id', '=', customer)], 0, None, None), [])
        self.assertRefused(
            dealer1.model, 'party.party', 'read', [customer], ['name'])

        invoice = self.find('distributor.liquidation',
            [('invoice', '!=', None)], ['invoice'])[0]['invoice']
        try:
            found = executive.model('account.invoice', 'search',
                [('id', '=', invoice)], 0, None, None)
        except RPCError as exception:
            self.assertEqual(exception.kind, 'UserError')
        else:
            self.assertEqual(found, [])
        self.assertRefused(
            executive.model, 'account.invoice', 'read', [invoice], ['number'])

        claim = self.claims()[0]
        self.assertRefused(desk.model, 'insurance.claim', 'search', [],
            0, None, None)
        self.assertRefused(
            desk.model, 'insurance.claim', 'read', [claim['id']], ['number'])

    def test_database_list(self):
        "Without login the production server does not list its databases"
        client = self.client()
        with self.assertRaises(HTTPError) as cm:
            client.post('/rpc/', 'common.db.list', [])
        self.assertEqual(cm.exception.status, 403)

    # 9. bad values

    def assertBadValue(self, client, model, method, args, field, check):
        "Refused with a UserError naming the field, nothing saved"
        before = check()
        self.assertRefused(client.model, model, method, *args,
            names=[self.label(model, field)])
        self.assertEqual(check(), before)

    def test_bad_values(self):
        "Out of bounds values and wrong types are refused naming the field"
        executive = self.clients['ejecutivo']
        dealer1 = self.clients['dealer1']
        draft_claim = self.claims(
            ('state', '=', 'draft'),
            ('occurrence_region', '=', self.region('LPZ')))[0]['id']
        draft = [l for l in self.dealer_liquidations()
            if l['state'] == 'draft'][0]['id']
        long_text = "x" * 100000
        claim_fields = ['occurred_at', 'notified_at', 'reporter_email',
            'reporter_name', 'description', 'damage_estimate']
        liquidation_fields = ['agreed_amount', 'commitment_date']

        def claim():
            return self.read('insurance.claim', [draft_claim], claim_fields)

        def liquidation():
            return self.read(
                'distributor.liquidation', [draft], liquidation_fields)

        def claims_count():
            return self.count('insurance.claim')

        for field, value in [
                ('occurred_at', dt.datetime(1900, 1, 1, 10, 0)),
                ('notified_at', dt.datetime(1900, 1, 2, 10, 0)),
                ('reporter_email', "not-an-email"),
                ('reporter_name', long_text),
                ('description', long_text),
                ('damage_estimate', Decimal('NaN')),
                ('damage_estimate', float('nan')),
                ('damage_estimate', Decimal('1E+20')),
                ('damage_estimate', "mil"),
                ('occurred_at', [2026, 1, 1]),
                ]:
            with self.subTest(field=field, value=str(value)[:20]):
                self.assertBadValue(executive, 'insurance.claim', 'write',
                    ([draft_claim], {field: value}), field, claim)
        policy = self.find('insurance.policy', [])[0]['id']
        with self.subTest(create='insurance.claim'):
            self.assertBadValue(executive, 'insurance.claim', 'create',
                ([{'policy': policy,
                            'occurrence_region': self.region('LPZ'),
                            'description': long_text}],),
                'description', claims_count)
        for field, value in [
                ('agreed_amount', Decimal('1E+20')),
                ('agreed_amount', Decimal('NaN')),
                ('agreed_amount', "cien"),
                ('commitment_date', dt.date(9999, 12, 31)),
                ('commitment_date', [2026, 1, 1]),
                ]:
            with self.subTest(field=field, value=str(value)[:20]):
                self.assertBadValue(dealer1, 'distributor.liquidation',
                    'write', ([draft], {field: value}), field, liquidation)

    # 10. login throttling (last: it sends wrong passwords)

    def test_zz_login_throttling_by_network(self):
        """Wrong passwords from one network do not lock the user out of
        another network; they do lock that network"""
        # jefe's browser in the office: it logged in before and keeps its
        # device cookie, as sao does. Over loopback the networks are told
        # apart by X-Forwarded-For: the test is the server's reverse proxy.
        office = self.client(forwarded_for=NETWORK_B).login('jefe')
        statuses = []

        def attempt(password):
            try:
                self.client(forwarded_for=NETWORK_A).login('jefe', password)
            except HTTPError as exception:
                statuses.append(exception.status)
            else:
                statuses.append(200)
        # at once: the server delays each failure (2**count seconds at most)
        threads = [threading.Thread(target=attempt, args=('wrong%s' % i,))
            for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(statuses), [401] * 6)

        # the attacking client is stopped, even with the right password
        with self.assertRaises(HTTPError) as cm:
            self.client(forwarded_for=NETWORK_A).login('jefe')
        self.assertEqual(cm.exception.status, 429,
            "the attacking client is throttled")

        # jefe, from the office network, logs in with the right password
        office.login('jefe')
        self.assertEqual(office.user_id, self.clients['jefe'].user_id)
        self.assertTrue(office.search_read('insurance.claim', [], ['id']))
