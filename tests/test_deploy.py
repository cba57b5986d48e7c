"""The production files: docker-compose.yml is valid and runs the server,
the scheduled actions and the queue worker against PostgreSQL."""
import os
import shutil
import subprocess
import tempfile
import unittest

from .runner import ROOT

COMPOSE = os.path.join(ROOT, 'docker-compose.yml')


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
