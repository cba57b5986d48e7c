"""Shared helpers of the benchmark: paths, database URIs, connections."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = os.path.join(ROOT, '.venv', 'bin', 'python')
TRYTOND_ADMIN = os.path.join(ROOT, '.venv', 'bin', 'trytond-admin')
BASE_URI = os.environ.get(
    'BENCH_DATABASE_URI', 'postgresql://tryton:tryton@127.0.0.1:5432/')
ADMIN_PASSWORD = 'benchadmin'
# Bumped when the shape of the generated data changes: cached templates of
# another version are rebuilt.
GENERATOR_VERSION = '5'


def dsn(dbname):
    return BASE_URI.rstrip('/') + '/' + dbname


def connect(dbname, autocommit=False):
    import psycopg
    return psycopg.connect(dsn(dbname), autocommit=autocommit)


def trytond_env(**extra):
    env = dict(os.environ)
    env['TRYTOND_DATABASE__URI'] = BASE_URI
    env.pop('TRYTOND_CONFIG', None)
    env.update(extra)
    return env


def database_exists(name):
    with connect('postgres', autocommit=True) as conn:
        return bool(conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s",
                (name,)).fetchone())


def database_comment(name):
    with connect('postgres', autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = %s", (name,)).fetchone()
        return row[0] if row else None


def drop_database(name):
    with connect('postgres', autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def clone_database(template, name):
    "Create name as a file copy of template (no connection may use it)"
    drop_database(name)
    with connect('postgres', autocommit=True) as conn:
        conn.execute(
            'CREATE DATABASE "%s" TEMPLATE "%s" STRATEGY FILE_COPY'
            % (name, template))


def run(cmd, **kwargs):
    print('+', ' '.join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)


BOOT = os.path.join(ROOT, 'bench', 'boot.py')


def tool(name, *args):
    "The command line of a trytond tool run through bench/boot.py"
    return [PYTHON, BOOT, name, *args]


def prepare_source(ref, overlay=()):
    """Extract the addons of a git ref (plus overlay files of the working
    tree) to a cache folder and point BENCH_ADDONS to it

    ref 'worktree' uses the working tree as it is."""
    import hashlib
    import shutil
    if ref == 'worktree':
        os.environ.pop('BENCH_ADDONS', None)
        return os.path.join(ROOT, 'addons')
    commit = subprocess.run(['git', 'rev-parse', ref], cwd=ROOT,
        capture_output=True, text=True, check=True).stdout.strip()
    digest = hashlib.sha1(commit.encode())
    for path in sorted(overlay):
        with open(os.path.join(ROOT, path), 'rb') as f:
            digest.update(path.encode() + f.read())
    target = os.path.join('/tmp', 'bench_src', digest.hexdigest()[:12])
    if not os.path.isdir(target):
        tmp = target + '.tmp'
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        archive = subprocess.run(['git', 'archive', commit, 'addons'],
            cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(['tar', '-x', '-C', tmp], input=archive, check=True)
        for path in overlay:
            shutil.copy(os.path.join(ROOT, path), os.path.join(tmp, path))
        os.rename(tmp, target)
    addons = os.path.join(target, 'addons')
    os.environ['BENCH_ADDONS'] = addons
    return addons


def source_key(addons):
    "A digest of the module sources (a schema change makes another base)"
    import hashlib
    digest = hashlib.sha1()
    for dirpath, dirnames, filenames in sorted(os.walk(addons)):
        dirnames.sort()
        if '/tests' in dirpath or '__pycache__' in dirpath:
            continue
        for name in sorted(filenames):
            if name.endswith(('.py', '.xml', '.cfg')):
                with open(os.path.join(dirpath, name), 'rb') as f:
                    digest.update(name.encode() + f.read())
    return digest.hexdigest()[:12]
