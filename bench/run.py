#!/usr/bin/env python3
"""Run the claims benchmarks against generated databases.

    .venv/bin/python bench/run.py --n 10000 100000 1000000 --repeat 7
    .venv/bin/python bench/run.py --n 1000 --repeat 1          # smoke, < 1 min

For each N: a fresh copy of the template bench_<N> (bench/generate.py),
updated to the current module code, is served by ``bench/server.py -d DB``
(trytond with the pool preloaded) on a free port. Each operation is timed
end-to-end over JSON-RPC and, in the same process, as hand-written SQL
through psycopg on the same database; the table gives the medians and the
ratios. The server's peak RSS (VmHWM, reset through /proc/PID/clear_refs
before the operation) is reported for the deadline check and the month-end.
"""
import argparse
import base64
import datetime as dt
import gzip
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import (  # noqa: E402
    ADMIN_PASSWORD, PYTHON, ROOT, clone_database, connect, drop_database,
    prepare_source, run, tool, trytond_env)
from bench.generate import generate  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EXECUTIVE = ('ejecutivo', 'ejecutivo123')
WORK_REGION = 'LPZ'
OPEN_STATES = ['open', 'approval', 'approved']
REGISTRATIONS = 1000
BATCH = 100


# --- JSON-RPC ---------------------------------------------------------------

def _encode(o):
    if isinstance(o, dt.datetime):
        return {'__class__': 'datetime', 'year': o.year, 'month': o.month,
            'day': o.day, 'hour': o.hour, 'minute': o.minute,
            'second': o.second, 'microsecond': o.microsecond}
    if isinstance(o, dt.date):
        return {'__class__': 'date', 'year': o.year, 'month': o.month,
            'day': o.day}
    if isinstance(o, Decimal):
        return {'__class__': 'Decimal', 'decimal': str(o)}
    raise TypeError(repr(o))


def _decode(d):
    cls = d.get('__class__')
    if cls == 'datetime':
        return dt.datetime(d['year'], d['month'], d['day'], d['hour'],
            d['minute'], d['second'], d['microsecond'])
    if cls == 'date':
        return dt.date(d['year'], d['month'], d['day'])
    if cls == 'Decimal':
        return Decimal(d['decimal'])
    if cls == 'timedelta':
        return dt.timedelta(seconds=d['seconds'])
    if cls == 'bytes':
        return base64.decodebytes(d['base64'].encode())
    return d


class RPCError(Exception):
    pass


class Session:
    "A JSON-RPC session on one kept-alive HTTP connection, like sao"

    def __init__(self, port, db, login, password):
        self.conn = http.client.HTTPConnection('127.0.0.1', port, timeout=900)
        self.login(db, login, password)

    def login(self, db, login, password):
        self.path = '/%s/rpc/' % db
        self.auth = None
        self.id = 0
        result = self.call('common.db.login', login,
            {'password': password}, 'en')
        user_id, session = result[0], result[1]
        self.auth = 'Session ' + base64.b64encode(
            ('%s:%s:%s' % (login, user_id, session)).encode()).decode()
        self.context = self.call('model.res.user.get_preferences', True, {})

    def call(self, method, *params):
        self.id += 1
        body = json.dumps({'id': self.id, 'method': method,
                'params': list(params)}, default=_encode)
        # like a browser running sao: trytond streams the responses over
        # 1400 bytes, gzipped when the client accepts it
        headers = {'Content-Type': 'application/json',
            'Accept-Encoding': 'gzip'}
        if self.auth:
            headers['Authorization'] = self.auth
        payload = self.post(body, headers)
        if payload[:2] == b'\x1f\x8b':
            payload = gzip.decompress(payload)
        data = json.loads(payload, object_hook=_decode)
        if data.get('error'):
            raise RPCError('%s: %s' % (method, str(data['error'])[:2000]))
        return data['result']

    def post(self, body, headers):
        self.conn.request('POST', self.path, body, headers)
        return self.conn.getresponse().read()

    def model(self, model, method, *params):
        return self.call('model.%s.%s' % (model, method), *params,
            self.context)


# --- helpers ------------------------------------------------------------------

def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def vm_status(pid, key):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak(pid):
    try:
        with open('/proc/%d/clear_refs' % pid, 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


RELATED = {'many2one', 'one2one', 'reference'}
SELECTIONS = {'selection', 'multiselection'}
ACCESS = ['rec_name', '_timestamp', '_write', '_delete']


def sao_fields(fields):
    """The names sao 8.0 reads for the fields of a view (model.js): with
    the rec_name of relations and the labels of eager selections"""
    names = []
    for name, field in fields.items():
        names.append(name)
        if field['type'] in RELATED:
            names.append(name + '.rec_name')
        elif (field['type'] in SELECTIONS
                and field.get('loading', 'lazy') == 'eager'):
            names.append(name + ':string')
    return names


def view_fields(session, model, view_type):
    "The fields sao reads for the records of a list, with access flags"
    view = session.model(model, 'fields_view_get', None, view_type)
    return sao_fields(view['fields']) + ACCESS


def sao_line_fields(field):
    "The fields of an x2m's list that sao reads for its lines (model.js)"
    (view,) = field['views'].values()
    names = []
    for name, sub in view.get('fields', {}).items():
        names.append(name)
        if sub['type'] in RELATED:
            names.append(name + '.rec_name')
        elif sub['type'] in SELECTIONS:
            names.append(name + ':string')
    return names + ['_timestamp', '_write', '_delete']


def sao_form_read(session, model):
    """The read sao 8.0 sends to open a record in the form, and its tabs

    One read of the form's fields with the lines of the x2m fields the
    server marks visible (those of the first page) inlined; the lines of
    the other pages are read when their tab is clicked: {field: (model,
    fields)}. As captured in the server log of the browser test that opens
    a claim (sao's model.js Record.load and get_x2m_sub_fields); sao also
    leaves out the fields the list already loaded, the bench does not.
    """
    from xml.etree import ElementTree
    view = session.model(model, 'fields_view_get', None, 'form')
    visible = {n.get('name')
        for n in ElementTree.fromstring(view['arch']).iter('field')
        if n.get('visible') == '1'}
    names, tabs = sao_fields(view['fields']), {}
    for name, field in view['fields'].items():
        if (field['type'] not in {'one2many', 'many2many'}
                or not field.get('views')):
            continue
        lines = sao_line_fields(field)
        if name in visible:
            names += ['%s.%s' % (name, f) for f in lines]
        else:
            tabs[name] = (field['relation'], lines + ['rec_name'])
    return names + ACCESS, tabs


class Server:
    def __init__(self, db, log):
        self.db = db
        self.port = free_port()
        self.log = open(log, 'w')
        env = trytond_env(TRYTOND_WEB__LISTEN='127.0.0.1:%d' % self.port)
        self.proc = subprocess.Popen(tool('server', '-d', db),
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError('trytond exited, see %s' % log)
            try:
                with socket.create_connection(('127.0.0.1', self.port), 1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError('trytond did not start, see %s' % log)

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# --- the operations -------------------------------------------------------------

class Bench:
    def __init__(self, n, db, server, repeat, month_end_model):
        self.n, self.db, self.server, self.repeat = n, db, server, repeat
        self.month_end_model = month_end_model
        self.sql = connect(db)
        self.results = {}
        self.executive = Session(server.port, db, *EXECUTIVE)
        self.admin = Session(server.port, db, 'admin', ADMIN_PASSWORD)
        self.region, = self.fetch(
            "SELECT id FROM insurance_region WHERE code = %s",
            (WORK_REGION,))[0]
        rows = self.fetch('SELECT region FROM "res_user-insurance_region" ur '
            'JOIN res_user u ON u.id = ur."user" WHERE u.login = %s',
            (EXECUTIVE[0],))
        self.user_regions = tuple(sorted(r for r, in rows))

    def fetch(self, query, params=None):
        with self.sql.cursor() as cur:
            cur.execute(query, params)
            rows = cur.fetchall()
        self.sql.commit()
        return rows

    def record(self, key, orm, raw=None, **extra):
        entry = {'orm': statistics.median(orm), 'orm_runs': orm}
        if raw:
            entry['raw'] = statistics.median(raw)
            entry['ratio'] = entry['orm'] / entry['raw']
        entry.update(extra)
        self.results[key] = entry
        print('  %-12s orm %9.4fs%s %s' % (key, entry['orm'],
                ('  raw %9.4fs  x%.2f' % (entry['raw'], entry['ratio']))
                if raw else '',
                ' '.join('%s=%s' % (k, v) for k, v in extra.items()
                    if not isinstance(v, (list, dict)))),
            flush=True)

    # 1. claims work queue ---------------------------------------------------
    def work_queue(self):
        fields_ = view_fields(self.executive, 'insurance.claim', 'tree')
        domain = [('occurrence_region', '=', self.region),
            ('state', 'in', OPEN_STATES)]
        order = [('next_deadline', 'ASC')]
        s = self.executive

        def orm():
            return s.model('insurance.claim', 'search_read', domain, 0, 80,
                order, fields_)

        first = orm()
        one = first[0]['id'] if first else 1

        def floor():
            return s.model('insurance.claim', 'search_read',
                [('id', '=', one)], 0, 80, None, fields_)
        raw_sql = """
            SELECT c.id, c.number, c.policy, po.number, c.insured, pa.name,
                c.line, l.name, c.occurrence_region, r.name, c.executive,
                ep.name, c.notified_at, res.amount, c.currency, cu.name,
                c.next_deadline, po.facultative_reinsurance, c.state
            FROM insurance_claim c
            JOIN insurance_policy po ON po.id = c.policy
            LEFT JOIN party_party pa ON pa.id = c.insured
            JOIN insurance_line l ON l.id = c.line
            JOIN insurance_region r ON r.id = c.occurrence_region
            LEFT JOIN company_employee e ON e.id = c.executive
            LEFT JOIN party_party ep ON ep.id = e.party
            JOIN currency_currency cu ON cu.id = c.currency
            LEFT JOIN LATERAL (SELECT amount FROM insurance_claim_reserve cr
                WHERE cr.claim = c.id ORDER BY cr.date DESC, cr.id DESC
                LIMIT 1) res ON true
            WHERE c.occurrence_region = %(region)s
                AND c.state = ANY(%(states)s)
                AND c.company = ANY(%(companies)s)
                AND (c.occurrence_region = ANY(%(regions)s)
                    OR c.issuing_region = ANY(%(regions)s))
            ORDER BY c.next_deadline ASC NULLS LAST, c.id
            LIMIT 80"""
        params = {'region': self.region, 'states': OPEN_STATES,
            'companies': list(self.executive.context.get('companies')
                or [self.executive.context.get('company')]),
            'regions': list(self.user_regions)}

        def raw():
            return self.fetch(raw_sql, params)
        orm_t, floor_t, raw_t = [], [], []
        for _ in range(max(self.repeat, 5)):
            orm_t.append(timed(orm)[0])
            floor_t.append(timed(floor)[0])
            raw_t.append(timed(raw)[0])
        orm_ids = [r['id'] for r in orm()]
        raw_ids = [r[0] for r in raw()]
        floor_m = statistics.median(floor_t)
        self.record('1 list', orm_t, raw_t, floor=round(floor_m, 4),
            vs_floor=round(statistics.median(orm_t) / floor_m, 2),
            rows=len(orm_ids), same=orm_ids == raw_ids)

    # 2. deadline check --------------------------------------------------------
    def deadline_check(self):
        cron_ids = self.admin.model('ir.cron', 'search',
            [('method', '=', 'insurance.claim.deadline|check_breaches')],
            0, None, None)
        with self.sql.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_overdue")
            cur.execute("CREATE TABLE bench_overdue AS "
                "SELECT id FROM insurance_claim_deadline "
                "WHERE state = 'pending' "
                "AND due < (now() AT TIME ZONE 'UTC')::timestamp(0) "
                "+ interval '1 hour'")
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM res_notification")
            max_notification, = cur.fetchone()
            cur.execute("SELECT count(*) FROM bench_overdue")
            overdue, = cur.fetchone()
        self.sql.commit()
        self.sql.autocommit = True

        def reset():
            with self.sql.cursor() as cur:
                cur.execute("UPDATE insurance_claim_deadline d "
                    "SET state = 'pending', breached_at = NULL, "
                    "notified = false FROM bench_overdue o WHERE d.id = o.id")
                cur.execute("DELETE FROM res_notification WHERE id > %s",
                    (max_notification,))
                cur.execute("VACUUM ANALYZE insurance_claim_deadline")
                cur.execute("VACUUM ANALYZE res_notification")

        def state():
            return self.fetch("SELECT "
                "(SELECT count(*) FROM insurance_claim_deadline "
                "WHERE state = 'breached'), "
                "(SELECT count(*) FROM insurance_claim_deadline "
                "WHERE notified), "
                "(SELECT count(*) FROM res_notification), "
                "(SELECT max(write_date) FROM insurance_claim_deadline)")[0]
        kinds = ("CASE kind " + ' '.join("WHEN '%s' THEN '%s'" % (k, k)
                for k in ['inspection', 'notification', 'registration',
                    'reserve_regularization', 'decision', 'theft_documents',
                    'theft_location', 'valuation', 'admission_order'])
            + " ELSE kind END")
        raw_sql = [
            "LOCK TABLE insurance_claim_deadline IN EXCLUSIVE MODE",
            # one statement: each deadline written once, the notifications
            # fed by its RETURNING
            """WITH b AS (UPDATE insurance_claim_deadline
                SET state = 'breached',
                    breached_at = CASE WHEN state = 'pending' THEN %(m)s
                        ELSE breached_at END,
                    notified = true, write_date = %(m)s, write_uid = 1
                WHERE (state = 'pending' AND due < %(m)s)
                    OR (state = 'breached' AND NOT notified)
                RETURNING id, claim, kind, responsible),
            r AS (SELECT b.responsible AS "user", b.id, b.claim, b.kind,
                    c.number FROM b JOIN insurance_claim c ON c.id = b.claim
                    WHERE b.responsible IS NOT NULL
                UNION
                SELECT ue."user", b.id, b.claim, b.kind, c.number FROM b
                    JOIN insurance_claim c ON c.id = b.claim
                    JOIN insurance_region g ON g.id = c.occurrence_region
                    JOIN "res_user-company_employee" ue
                        ON ue.employee = g.head)
            INSERT INTO res_notification ("user", label, description,
                model, records, unread, create_uid, create_date)
            SELECT r."user", 'Deadline breached',
                COALESCE(r.number, '') || ' - ' || """ + kinds.replace(
                'kind', 'r.kind') + """,
                'insurance.claim', '[' || r.claim || ']', true, 1, %(m)s
            FROM r""",
            ]

        def raw():
            m = dt.datetime.utcnow().replace(microsecond=0)
            with self.sql.transaction():
                with self.sql.cursor() as cur:
                    for q in raw_sql:
                        cur.execute(q, {'m': m})

        def orm():
            self.admin.model('ir.cron', 'run_once', cron_ids)
        orm_t, raw_t, peaks = [], [], []
        second = None
        for i in range(self.repeat):
            raw_t.append(timed(raw)[0])
            reset()
            reset_peak(self.server.pid)
            before = vm_status(self.server.pid, 'VmRSS')
            orm_t.append(timed(orm)[0])
            peaks.append((vm_status(self.server.pid, 'VmHWM'), before))
            if i == 0:
                after_first = state()
                second_t = timed(orm)[0]
                second = {'second_run': round(second_t, 3),
                    'second_changes': state() != after_first}
            reset()
        self.sql.autocommit = False
        peak = max(p for p, _ in peaks)
        self.record('2 deadlines', orm_t, raw_t, overdue=overdue,
            peak_mb=round(peak / 2**20), rss_before_mb=round(
                max(b for _, b in peaks) / 2**20), **(second or {}))

    # 3. month-end reserve movement -----------------------------------------
    def month_end(self):
        today = dt.date.today()
        date_to = today.replace(day=1)
        date_from = (date_to - dt.timedelta(days=1)).replace(day=1)
        f = dt.datetime.combine(date_from, dt.time())
        t = dt.datetime.combine(date_to, dt.time())
        model = self.month_end_model
        if model == 'auto':
            try:
                self.admin.model('insurance.claim.reserve_movement',
                    'fields_get', ['closing'])
                model = 'insurance.claim.reserve_movement'
            except RPCError:
                model = 'bench.claim.reserve.month_end'
        if model == 'insurance.claim.reserve_movement':
            # the module's month-end model: from_date/to_date inclusive
            context = dict(self.admin.context,
                from_date=date_from, to_date=date_to - dt.timedelta(days=1))
            fields_ = ['region', 'line', 'opening', 'new', 'increase',
                'decrease', 'paid', 'closing']
            tables = {r for r, in self.fetch(
                    "SELECT tablename FROM pg_tables WHERE tablename IN "
                    "('insurance_claim_payment', 'insurance_work_order')")}
            # each source aggregated on its own, then summed (the reserve
            # lines by their covering index)
            paid = ''.join("""
                UNION ALL
                SELECT c.occurrence_region, c.line,
                    SUM(CASE WHEN t.paid_on < %%(fd)s
                        THEN -COALESCE(t.paid_amount, 0) ELSE 0 END),
                    0, 0, 0,
                    SUM(CASE WHEN t.paid_on >= %%(fd)s
                        THEN COALESCE(t.paid_amount, 0) ELSE 0 END),
                    SUM(-COALESCE(t.paid_amount, 0))
                FROM %s t JOIN insurance_claim c ON c.id = t.claim
                WHERE c.company = %%(company)s AND t.state = 'paid'
                    AND t.paid_on <= %%(td)s
                GROUP BY c.occurrence_region, c.line""" % t_
                for t_ in sorted(tables))
            raw_sql = """
                SELECT region, line, SUM(opening), SUM(new), SUM(increase),
                    SUM(decrease), SUM(paid), SUM(closing)
                FROM (SELECT region, line,
                        SUM(CASE WHEN date < %(f)s THEN change ELSE 0 END)
                            AS opening,
                        SUM(CASE WHEN date >= %(f)s AND first
                            THEN change ELSE 0 END) AS new,
                        SUM(CASE WHEN date >= %(f)s AND NOT first
                            AND change > 0 THEN change ELSE 0 END)
                            AS increase,
                        SUM(CASE WHEN date >= %(f)s AND NOT first
                            AND change < 0 THEN -change ELSE 0 END)
                            AS decrease,
                        0 AS paid, SUM(change) AS closing
                    FROM insurance_claim_reserve
                    WHERE company = %(company)s AND date < %(t)s
                    GROUP BY region, line""" + paid + """) m
                GROUP BY region, line"""
            closing_index = 7
        else:
            context = dict(self.admin.context, date_from=date_from,
                date_to=date_to)
            fields_ = ['region', 'line', 'opening', 'closing', 'movement',
                'claims']
            raw_sql = """
                SELECT c.occurrence_region, c.line,
                    SUM(CASE WHEN l.date < %(f)s AND (l.next_date IS NULL
                            OR l.next_date >= %(f)s)
                        THEN l.amount ELSE 0 END),
                    SUM(CASE WHEN l.next_date IS NULL OR l.next_date >= %(t)s
                        THEN l.amount ELSE 0 END),
                    COUNT(*) FILTER (WHERE l.next_date IS NULL)
                FROM (SELECT claim, amount, date, lead(date) OVER (
                            PARTITION BY claim ORDER BY date, id) AS next_date
                        FROM insurance_claim_reserve WHERE date < %(t)s) l
                JOIN insurance_claim c ON c.id = l.claim
                GROUP BY c.occurrence_region, c.line"""
            closing_index = 3
        params = {'f': f, 't': t, 'fd': date_from,
            'td': date_to - dt.timedelta(days=1),
            'company': self.admin.context.get('company') or 1}

        def orm():
            return self.admin.call('model.%s.search_read' % model, [], 0,
                None, None, fields_, context)

        def raw():
            return self.fetch(raw_sql, params)
        orm_t, raw_t, peaks = [], [], []
        for _ in range(self.repeat):
            raw_t.append(timed(raw)[0])
            reset_peak(self.server.pid)
            orm_t.append(timed(orm)[0])
            peaks.append(vm_status(self.server.pid, 'VmHWM'))
        orm_rows, raw_rows = orm(), raw()
        same = (sum(r['closing'] for r in orm_rows)
            == sum(r[closing_index] for r in raw_rows)
            and len(orm_rows) == len(raw_rows))
        self.record('3 month-end', orm_t, raw_t, rows=len(orm_rows),
            same=same, peak_mb=round(max(peaks) / 2**20), model=model)

    # 4. registration -------------------------------------------------------
    def registration(self):
        self._registration('4 register', 1)

    def registration_batch(self):
        self._registration('4b register x100', BATCH)

    def _registration(self, key, batch):
        s = self.executive
        count = REGISTRATIONS if self.n >= 10000 else 200
        # policies in force today, with their first coverage
        policies = self.fetch("""
            SELECT p.id, (SELECT MIN(id) FROM insurance_policy_coverage c
                    WHERE c.policy = p.id)
            FROM insurance_policy p
            WHERE p.start_date <= CURRENT_DATE - 2
                AND p.end_date >= CURRENT_DATE + 2
                AND p.number LIKE 'BP-%%'
            ORDER BY p.id DESC LIMIT %s""", (count,))
        repeats = self.register_repeat or min(self.repeat, 3)
        orm_t, raw_t = [], []
        for _ in range(repeats):
            now = dt.datetime.utcnow().replace(microsecond=0)
            values = [{
                    'policy': pol, 'coverages': [('add', [cov])],
                    'occurrence_region': self.region, 'channel': 'phone',
                    'notified_at': now - dt.timedelta(hours=2),
                    'occurred_at': now - dt.timedelta(days=1),
                    'description': 'Choque en la avenida',
                    'insured_object': 'Vehículo',
                    'reporter_name': 'Denunciante',
                    'reporter_phone': '70000000', 'scenario': 'partial',
                    } for pol, cov in policies]

            def orm():
                # as a claims executive does: create, then register (one
                # claim per call, or a batch of notices per call)
                for i in range(0, len(values), batch):
                    ids = s.model('insurance.claim', 'create',
                        values[i:i + batch])
                    s.model('insurance.claim', 'register', ids)
            t, _ = timed(orm)
            orm_t.append(t)
            raw_t.append(self.raw_registration(policies, now))
        rates = [count / t for t in orm_t]
        self.record(key, orm_t, raw_t, claims=count,
            rate=round(statistics.median(rates), 1))

    def raw_registration(self, policies, now):
        "The same claims, checklist, reserve and deadlines in set-based SQL"
        start = time.perf_counter()
        with self.sql.cursor() as cur:
            cur.execute("""
                CREATE TEMP TABLE new_claim ON COMMIT DROP AS
                SELECT nextval(pg_get_serial_sequence(
                        'insurance_claim', 'id')) AS id,
                    p.id AS policy, v.coverage, p.line, p.insured,
                    p.issuing_region, p.company, p.currency,
                    COALESCE(pa.insurance_party_kind, 'natural') AS kind,
                    cov.insured_amount
                FROM unnest(%s::integer[], %s::integer[]) v(policy, coverage)
                JOIN insurance_policy p ON p.id = v.policy
                JOIN insurance_policy_coverage cov ON cov.id = v.coverage
                LEFT JOIN party_party pa ON pa.id = p.insured""",
                ([p for p, _ in policies], [c for _, c in policies]))
            cur.execute("""
                INSERT INTO insurance_claim (id, company, number, policy,
                    line, insured, channel, reporter_name, reporter_phone,
                    notified_at, occurred_at, description, insured_object,
                    occurrence_region, issuing_region, scenario, theft,
                    registered_at, registered_by, currency, paid_amount,
                    state, total_loss, deductible_modality, create_uid,
                    create_date)
                SELECT id, company, 'RAW-' || id, policy, line, insured,
                    'phone', 'Denunciante', '70000000', %(now)s - interval
                    '2 hours', %(now)s - interval '1 day', 'Choque',
                    'Vehículo', %(region)s, issuing_region, 'partial', false,
                    %(now)s, 4, currency, 0, 'open', false, 'paid', 4,
                    %(now)s
                FROM new_claim""", {'now': now, 'region': self.region})
            cur.execute("""
                INSERT INTO "insurance_claim-insurance_policy_coverage"
                    (claim, coverage, create_uid, create_date)
                SELECT id, coverage, 4, now() FROM new_claim""")
            cur.execute("""
                INSERT INTO insurance_claim_reserve (claim, date, amount,
                    kind, reason, estimated, "user", create_uid, create_date)
                SELECT id, %(now)s, round(insured_amount * 0.10, 2),
                    'initial', 'Reserva inicial', true, 4, 4, now()
                FROM new_claim""", {'now': now})
            cur.execute("""
                INSERT INTO insurance_claim_document (claim, requirement,
                    name, mandatory, control, state, create_uid, create_date)
                SELECT n.id, r.id, r.name, r.mandatory, r.control,
                    'pending', 4, now()
                FROM new_claim n JOIN insurance_line_requirement r
                    ON (r.line IS NULL OR r.line = n.line)
                    AND r.scenario IN ('any', 'partial')
                    AND r.party_kind = ANY(CASE n.kind
                        WHEN 'natural' THEN ARRAY['any', 'natural']
                        WHEN 'legal' THEN ARRAY['any', 'legal']
                        ELSE ARRAY['any', 'legal', 'state'] END)""")
            cur.execute("""
                INSERT INTO insurance_claim_deadline (claim, kind, due,
                    done_at, state, responsible, notified, create_uid,
                    create_date)
                SELECT n.id, k.kind, %(now)s - interval '2 hours' + k.delay,
                    CASE WHEN k.kind = 'registration' THEN %(now)s END,
                    CASE WHEN k.kind = 'registration' THEN 'met'
                        ELSE 'pending' END, 4, false, 4, now()
                FROM new_claim n CROSS JOIN (VALUES
                    ('registration', interval '7 days'),
                    ('inspection', interval '24 hours'),
                    ('notification', interval '72 hours')) k(kind, delay)
                """, {'now': now})
            cur.execute("""
                UPDATE insurance_claim c SET next_deadline = m.due
                FROM (SELECT d.claim, MIN(d.due) AS due
                    FROM insurance_claim_deadline d JOIN new_claim n
                        ON n.id = d.claim
                    WHERE d.state IN ('pending', 'breached')
                    GROUP BY d.claim) m
                WHERE m.claim = c.id""")
        self.sql.rollback()
        return time.perf_counter() - start

    # 5. form open ------------------------------------------------------------
    def form_open(self):
        s = self.executive
        form_fields, tabs = sao_form_read(s, 'insurance.claim')
        claim_id, = self.fetch("""
            SELECT c.id FROM insurance_claim c
            WHERE c.occurrence_region = %s AND c.state = 'open'
                AND EXISTS (SELECT 1 FROM insurance_claim_reserve r
                    WHERE r.claim = c.id)
            ORDER BY c.next_deadline LIMIT 1""", (self.region,))[0]
        context = dict(s.context, related_read_limit=20)

        def orm():
            claim, = s.call('model.insurance.claim.read', [claim_id],
                form_fields, context)
            return claim
        claim = orm()

        def tab(name):
            model, fields_ = tabs[name]
            s.model(model, 'read', list(claim[name]), fields_)
        shown = [n for n in tabs if claim.get(n)]

        def raw():
            self.fetch("SELECT c.*, po.number, pa.name, l.name, r.name, "
                "cu.name FROM insurance_claim c "
                "JOIN insurance_policy po ON po.id = c.policy "
                "LEFT JOIN party_party pa ON pa.id = c.insured "
                "JOIN insurance_line l ON l.id = c.line "
                "JOIN insurance_region r ON r.id = c.occurrence_region "
                "JOIN currency_currency cu ON cu.id = c.currency "
                "WHERE c.id = %s", (claim_id,))
            self.fetch('SELECT cv.* FROM "insurance_claim-insurance_policy_'
                'coverage" cc JOIN insurance_policy_coverage cv '
                'ON cv.id = cc.coverage WHERE cc.claim = %s', (claim_id,))
        orm_t, raw_t, tab_t = [], [], {n: [] for n in shown}
        for _ in range(max(self.repeat, 5)):
            orm_t.append(timed(orm)[0])
            raw_t.append(timed(raw)[0])
            for name in shown:
                tab_t[name].append(timed(tab, name)[0])
        tab_m = {n: statistics.median(t) for n, t in tab_t.items()}
        # the old measure: the claim and every tab with lines, one by one
        all_tabs = statistics.median(orm_t) + sum(tab_m.values())
        self.record('5 form', orm_t, raw_t, tabs=len(shown),
            tab_max=round(max(tab_m.values(), default=0), 4),
            with_all_tabs=round(all_tabs, 4),
            tab_ms={n: round(v * 1000, 1) for n, v in tab_m.items()})


# --- main -------------------------------------------------------------------------

def machine():
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True,
                shell=True).stdout.strip()
        except Exception:
            return '?'
    with connect('postgres') as conn:
        pg = conn.execute('SHOW server_version').fetchone()[0]
    return {
        'date': dt.datetime.now().strftime('%Y-%m-%d %H:%M'),
        'cpu': '%s cores (%s)' % (out('nproc'),
            out("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")),
        'memory': out("free -h | awk '/Mem:/ {print $2}'"),
        'postgresql': pg,
        'python': platform.python_version(),
        'trytond': out(PYTHON + " -c 'import trytond; "
            "print(trytond.__version__)'"),
        }


TARGETS = {
    '1 list': "≤ 50 ms, ≤ 3× floor",
    '2 deadlines': "≤ 4 s, ≤ 2× raw, ≤ 300 MB",
    '3 month-end': "≤ 2.5 s, ≤ 2× raw",
    '4 register': "≥ 50 claims/s, flat in N",
    '4b register x100': "≥ 50 claims/s, flat in N",
    '5 form': "≤ 50 ms",
    }


def fmt_s(v):
    return '%.1f ms' % (v * 1000) if v < 1 else '%.2f s' % v


def table(all_results):
    lines = ['| N | operation | ORM median | raw SQL median | ratio | '
        'other | target |', '|---|---|---|---|---|---|---|']
    for n, results in all_results.items():
        for key, r in results.items():
            other = []
            for k in ['floor', 'vs_floor', 'rate', 'peak_mb', 'overdue',
                    'second_run', 'second_changes', 'rows', 'same',
                    'claims', 'tab_max', 'with_all_tabs']:
                if k in r:
                    v = r[k]
                    if k in {'floor', 'tab_max', 'with_all_tabs'}:
                        v = fmt_s(v)
                    elif k == 'peak_mb':
                        v = '%s MB' % v
                    elif k == 'second_run':
                        v = fmt_s(v)
                    other.append('%s %s' % (k, v))
            lines.append('| %s | %s | %s | %s | %s | %s | %s |' % (
                    '{:,}'.format(n), key, fmt_s(r['orm']),
                    fmt_s(r['raw']) if 'raw' in r else '',
                    '×%.2f' % r['ratio'] if 'ratio' in r else '',
                    ', '.join(other), TARGETS.get(key, '')))
    return '\n'.join(lines)


def write_results(path, info, all_results, repeat, note):
    with open(path, 'w') as f:
        f.write('# Benchmark results\n\n')
        f.write('Written by `bench/run.py` (median of %d runs; the list and '
            'form of max(repeat, 5); registration of min(repeat, 3)).\n\n'
            % repeat)
        f.write('Machine: %s, %s RAM, PostgreSQL %s, Python %s, trytond '
            '%s; %s.\n\n' % (info['cpu'], info['memory'], info['postgresql'],
                info['python'], info['trytond'], info['date']))
        f.write(table(all_results))
        f.write('\n')
        if note:
            f.write('\n' + note + '\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--n', type=int, nargs='+', default=[1000])
    parser.add_argument('--repeat', type=int, default=7)
    parser.add_argument('--ops', nargs='+',
        default=['list', 'deadlines', 'month_end', 'register',
            'register_batch', 'form'],
        choices=['list', 'deadlines', 'month_end', 'register',
            'register_batch', 'form'])
    parser.add_argument('--month-end-model', default='auto',
        help="insurance.claim.reserve_movement (the module's month-end), "
        "bench.claim.reserve.month_end (bench/month_end.py) or auto: the "
        "module's when it exists")
    parser.add_argument('--register-repeat', type=int, default=0,
        help="runs of the 1,000 registrations (default min(repeat, 3))")
    parser.add_argument('--keep', action='store_true',
        help="keep the run database bench_<N>_run")
    parser.add_argument('--no-update', action='store_true',
        help="skip trytond-admin -u on the run copy")
    parser.add_argument('--results', default=os.path.join(HERE,
            'RESULTS.md'))
    parser.add_argument('--note', default='')
    parser.add_argument('--source', default='HEAD',
        help="git ref of the modules, or 'worktree' (default: HEAD, so "
        "that work in progress in the tree does not break the run)")
    parser.add_argument('--overlay', nargs='*', default=[],
        help="working-tree files laid over the ref, e.g. "
        "addons/insurance_claims/claim.py")
    args = parser.parse_args()
    addons = prepare_source(args.source, args.overlay)
    print('modules from %s' % addons, flush=True)

    info = machine()
    all_results = {}
    for n in args.n:
        print('== N = {:,}'.format(n), flush=True)
        template = generate(n)
        db = 'bench_%d_run' % n
        t = time.time()
        clone_database(template, db)
        if not args.no_update:
            with tempfile.NamedTemporaryFile('w') as passfile:
                passfile.write(ADMIN_PASSWORD)
                passfile.flush()
                run(tool('admin', '-d', db, '-u', 'insurance_claims',
                        '--activate-dependencies'),
                    env=trytond_env(TRYTONPASSFILE=passfile.name),
                    stdout=subprocess.DEVNULL)
        with connect(db, autocommit=True) as conn:
            # as in production (docker-compose.yml): the JIT compiles for
            # ~200 ms the small queries of the record rules, whose
            # subqueries over the claims the planner costs high
            conn.execute('ALTER DATABASE "%s" SET jit = off' % db)
            conn.execute('VACUUM ANALYZE')
        print('  database ready in %.1fs' % (time.time() - t), flush=True)
        server = Server(db, '/tmp/bench_server_%d.log' % n)
        try:
            bench = Bench(n, db, server, args.repeat, args.month_end_model)
            bench.register_repeat = args.register_repeat
            ops = {'list': bench.work_queue,
                'deadlines': bench.deadline_check,
                'month_end': bench.month_end,
                'register': bench.registration,
                'register_batch': bench.registration_batch,
                'form': bench.form_open}
            for op in args.ops:
                ops[op]()
            all_results[n] = bench.results
            bench.sql.close()
        finally:
            server.stop()
            if not args.keep:
                drop_database(db)
    print()
    print(table(all_results))
    write_results(args.results, info, all_results, args.repeat, args.note)


if __name__ == '__main__':
    main()
