"""The production files: docker-compose.yml is valid and runs the server,
the scheduled actions and the queue worker against PostgreSQL;
docker/trytond.conf keeps the database list, the sessions and the logins of
a financial office."""
import configparser
import os
import shutil
import subprocess
import tempfile
import time
import unittest
from unittest.mock import patch

from trytond import config
from trytond.config import TrytonConfigParser
from trytond.exceptions import RateLimitException
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .runner import ROOT

COMPOSE = os.path.join(ROOT, 'docker-compose.yml')
DOCKER_CONF = os.path.join(ROOT, 'docker', 'trytond.conf')


def compose(*args, path=COMPOSE):
    return subprocess.run(
        ['docker-compose', '-f', path, *args], cwd=os.path.dirname(path),
        capture_output=True, text=True,
        env=dict(os.environ, POSTGRES_PASSWORD='secret'))


@unittest.skipUnless(
    shutil.which('docker-compose') or os.environ.get('CI'),
    "docker-compose is missing (bin/setup --test installs it)")
class ComposeTestCase(unittest.TestCase):
    "Test docker-compose.yml"

    def test_valid(self):
        "docker-compose validates the file"
        result = compose('config', '-q')
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_invalid_is_refused(self):
        "The validation refuses a broken file"
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'docker-compose.yml')
            with open(COMPOSE) as fp:
                content = fp.read()
            with open(path, 'w') as fp:
                fp.write(content.replace('restart: unless-stopped',
                        'restart: [unless-stopped', 1))
            self.assertNotEqual(compose('config', '-q', path=path).returncode,
                0)

    def test_services(self):
        "PostgreSQL, trytond, trytond-cron and trytond-worker run"
        result = compose('config', '--services')
        self.assertEqual(result.returncode, 0, result.stderr)
        services = set(result.stdout.split())
        self.assertTrue({'postgres', 'trytond', 'trytond-cron',
                'trytond-worker'} <= services, services)
        result = compose('--profile', 'admin', 'config', '--services')
        self.assertIn('trytond-admin', result.stdout.split())

    def test_commands(self):
        "Each process is started on the named database, on PostgreSQL"
        config = compose('--profile', 'admin', 'config').stdout
        self.assertIn('postgresql://tryton:secret@postgres:5432/', config)
        for command in ['exec trytond -d', 'exec trytond-cron -d',
                'exec trytond-worker -d', 'trytond-admin -d']:
            self.assertIn(command, config + open(
                    os.path.join(ROOT, 'Dockerfile')).read())
        self.assertIn('TRYTOND_QUEUE__WORKER', config)
        self.assertIn('/var/lib/trytond/db', config)


def docker_config():
    parser = configparser.ConfigParser(interpolation=None)
    with open(DOCKER_CONF) as fp:
        parser.read_file(fp)
    return parser


class ProductionConfigTestCase(unittest.TestCase):
    "Test the security settings of docker/trytond.conf"

    def test_options_known(self):
        "Each option of [database] and [session] is one trytond 8.0 reads"
        defaults = TrytonConfigParser()
        production = docker_config()
        for section in ['database', 'session']:
            for option in production.options(section):
                with self.subTest(section=section, option=option):
                    self.assertTrue(defaults.has_option(section, option))

    def test_database_list(self):
        "common.db.list does not give the database names away"
        self.assertIs(
            docker_config().getboolean('database', 'list'), False)

    def test_sessions(self):
        "Sessions end within a working day; sensitive calls after 5 min idle"
        defaults = TrytonConfigParser()
        production = docker_config()
        max_age = production.getint('session', 'max_age')
        self.assertLessEqual(max_age, 12 * 60 * 60)
        self.assertLess(max_age, defaults.getint('session', 'max_age'))
        self.assertLessEqual(production.getint('session', 'timeout'),
            defaults.getint('session', 'timeout'))

    def test_login_attempts(self):
        "Logins are throttled per IP network; the login lock stays short"
        defaults = TrytonConfigParser()
        production = docker_config()
        max_attempt = production.getint('session', 'max_attempt')
        # each failure delays the next answer up to 2^failures seconds
        self.assertLessEqual(2 ** max_attempt - 1, 60)
        self.assertLess(
            production.getint('session', 'max_attempt_ip_network'),
            defaults.getint('session', 'max_attempt_ip_network'))
        self.assertEqual(production.getint('session', 'ip_network_4'), 32)
        self.assertLessEqual(production.getint('session', 'ip_network_6'), 64)


class LoginThrottlingTestCase(unittest.TestCase):
    "Test the login throttling of docker/trytond.conf in trytond"
    attacker = '203.0.113.5'
    neighbour = '203.0.113.6'
    office = '198.51.100.20'

    @classmethod
    def setUpClass(cls):
        activate_module('res')

    def setUp(self):
        production = dict(docker_config().items('session'))
        saved = {o: config.get('session', o) for o in production}
        for option, value in production.items():
            config.set('session', option, value)

        def restore():
            for option, value in saved.items():
                config.set('session', option, value)
        self.addCleanup(restore)

    def login(self, address, login, parameters):
        User = Pool().get('res.user')
        with Transaction().set_context(_request={'remote_addr': address}):
            return User.get_login(login, parameters)

    @patch.object(time, 'sleep')  # the delays after the failures
    @with_transaction()
    def test_throttling(self, sleep):
        "Failures lock a login for new devices and stop the network"
        pool = Pool()
        User = pool.get('res.user')
        Device = pool.get('res.user.device')
        user, = User.create([{
                    'login': 'clerk', 'password': 'clerk-secret-1'}])
        Device.create([{'login': 'clerk', 'cookie': 'clerk-browser'}])
        right = {'password': 'clerk-secret-1'}
        known = dict(right, device_cookie='clerk-browser')
        wrong = {'password': 'guess'}
        max_attempt = config.getint('session', 'max_attempt')
        max_ip = config.getint('session', 'max_attempt_ip_network')

        for _ in range(max_attempt + 1):
            self.assertIsNone(self.login(self.attacker, 'clerk', wrong))
        # a new device waits for the failures to expire
        with self.assertRaises(RateLimitException):
            self.login(self.office, 'clerk', right)
        # the clerk's browser (its device cookie) still logs in
        self.assertEqual(self.login(self.office, 'clerk', known), user.id)

        # spraying passwords over many logins stops the attacker's network
        with self.assertRaises(RateLimitException):
            for i in range(max_ip + 1):
                self.login(self.attacker, 'user%s' % i, wrong)
        with self.assertRaises(RateLimitException):
            self.login(self.attacker, 'clerk', known)
        # and only it
        self.assertEqual(self.login(self.neighbour, 'clerk', known), user.id)
        self.assertEqual(self.login(self.office, 'clerk', known), user.id)
