#!/usr/bin/env python3
"""Generate a PostgreSQL database with N claims for the benchmarks.

    .venv/bin/python bench/generate.py 100000 [--db NAME] [--force]

1. A base database (schema + demo company, regions, users, lines) is made
   once with trytond-admin and the project's demo loader and kept as the
   template ``bench_base``.
2. ``bench_<N>`` is cloned from it and bulk-loaded with set-based SQL
   (``INSERT ... SELECT generate_series``): parties, policies, coverages,
   claims, reserve lines, document checklists, deadlines and the stored
   ``next_deadline``; then VACUUM ANALYZE. It is kept as a template.
3. With ``--db NAME`` (another name), NAME is a fresh file copy of it.

The data is deterministic (hash of the row number, no random()).
Templates are reused while their GENERATOR_VERSION matches; --force
rebuilds them.
"""
import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import (  # noqa: E402
    ADMIN_PASSWORD, GENERATOR_VERSION, clone_database, connect,
    database_comment, database_exists, drop_database, prepare_source, run,
    source_key, tool, trytond_env)

BASE = 'bench_base'

# weights in per mille
REGION_WEIGHTS = [('LPZ', 220), ('EAL', 100), ('SCZ', 250), ('CBBA', 180),
    ('ORU', 50), ('PTS', 40), ('CHQ', 50), ('TJA', 60), ('BEN', 30),
    ('PAN', 20)]
LINE_WEIGHTS = [('AUTO', 400), ('FIRE', 120), ('THEFT', 50), ('LIAB', 60),
    ('AVIA', 10), ('PA', 80), ('MACH', 40), ('ELEC', 40), ('CAR', 30),
    ('BI', 20), ('FID', 30), ('BANK', 10), ('HULL', 10), ('TRANS', 60),
    ('TRANSL', 40)]
HISTORY_DAYS = 2000     # claims notified over the last ~5.5 years
POLICY_DAYS = 2190      # policies started over the last 6 years


def comment(version=GENERATOR_VERSION):
    return 'bench generator %s' % version


def make_base(force=False):
    "The activated schema and demo data, made from the current source"
    key = 'bench base %s' % source_key(
        os.environ.get('BENCH_ADDONS') or 'addons')
    if database_exists(BASE) and not force and database_comment(BASE) == key:
        return
    drop_database(BASE)
    with connect('postgres', autocommit=True) as conn:
        conn.execute(
            'CREATE DATABASE "%s" ENCODING \'UTF8\' TEMPLATE template0' % BASE)
    with tempfile.NamedTemporaryFile('w', suffix='.pass') as passfile:
        passfile.write(ADMIN_PASSWORD)
        passfile.flush()
        run(tool('admin', '-d', BASE, '-u', 'insurance_claims',
                '--activate-dependencies', '--email', 'admin@example.com'),
            env=trytond_env(TRYTONPASSFILE=passfile.name))
    run(tool('demo', BASE), env=trytond_env())
    with connect('postgres', autocommit=True) as conn:
        conn.execute("COMMENT ON DATABASE \"%s\" IS '%s'" % (BASE, key))


def weights_sql(name, key, weights, ids):
    "A temp table mapping a per-mille bucket to an id"
    rows, lo = [], 0
    for code, weight in weights:
        rows.append('(%d, %d, %d)' % (ids[code], lo, lo + weight * 1000))
        lo += weight * 1000
    assert lo == 1000000, (name, lo)
    return ('CREATE TEMP TABLE %s (%s integer, lo integer, hi integer);'
        'INSERT INTO %s VALUES %s;' % (name, key, name, ', '.join(rows)))


def load(dbname, n):
    t0 = time.time()
    conn = connect(dbname)
    cur = conn.cursor()
    cur.execute("SET synchronous_commit = off")
    cur.execute("SET work_mem = '256MB'")
    cur.execute("SET maintenance_work_mem = '512MB'")

    def ids_of(table):
        cur.execute('SELECT code, id FROM %s' % table)
        return dict(cur.fetchall())

    regions, lines = ids_of('insurance_region'), ids_of('insurance_line')
    cur.execute(weights_sql('w_region', 'region', REGION_WEIGHTS, regions))
    cur.execute(weights_sql('w_line', 'line', LINE_WEIGHTS, lines))
    cur.execute("SELECT id FROM company_company ORDER BY id LIMIT 1")
    company, = cur.fetchone()
    cur.execute("SELECT currency FROM company_company WHERE id = %s",
        (company,))
    currency, = cur.fetchone()
    cur.execute("SELECT id FROM res_user WHERE login = 'ejecutivo'")
    executive_user, = cur.fetchone()
    cur.execute('SELECT employee FROM "res_user-company_employee" '
        'WHERE "user" = %s', (executive_user,))
    executive_employee, = cur.fetchone()
    cur.execute('SELECT region FROM "res_user-insurance_region" '
        'WHERE "user" = %s', (executive_user,))
    executive_regions = [r for r, in cur.fetchall()]
    # a pseudo-random integer in [0, 1e6) from a row number and a salt
    cur.execute("""
        CREATE FUNCTION pg_temp.h(i bigint, salt integer) RETURNS integer
        AS $$ SELECT (abs(hashint8(i * 7919 + salt)) % 1000000)::integer $$
        LANGUAGE SQL IMMUTABLE""")
    cur.execute("CREATE TEMP TABLE p AS SELECT "
        "(now() AT TIME ZONE 'UTC')::timestamp(0) AS now_, "
        "(now() AT TIME ZONE 'UTC')::date AS today")

    def offset(table):
        cur.execute('SELECT COALESCE(MAX(id), 0) FROM "%s"' % table)
        return cur.fetchone()[0]

    n_pol = max(n // 2, 10)
    off = {t: offset(t) for t in ['party_party', 'insurance_policy',
            'insurance_policy_coverage', 'insurance_claim']}
    params = dict(n=n, n_pol=n_pol, company=company, currency=currency,
        poff=off['party_party'], poloff=off['insurance_policy'],
        coff=off['insurance_policy_coverage'], cloff=off['insurance_claim'],
        pdays=POLICY_DAYS, hdays=HISTORY_DAYS,
        exec_user=executive_user, exec_employee=executive_employee,
        exec_regions='ARRAY[%s]::integer[]' % ','.join(
            map(str, executive_regions or [0])))

    def step(label, sql):
        t = time.time()
        cur.execute(sql % params)
        print('  %-28s %8d rows %6.1fs' % (label, cur.rowcount,
                time.time() - t), file=sys.stderr, flush=True)

    step('parties', """
        INSERT INTO party_party (id, code, name, active, insurance_party_kind,
            create_uid, create_date)
        SELECT %(poff)s + i, 'BENCH-' || i, 'Asegurado ' || i, true,
            CASE WHEN pg_temp.h(i, 1) < 800000 THEN 'natural'
                WHEN pg_temp.h(i, 1) < 980000 THEN 'legal' ELSE 'state' END,
            0, p.now_
        FROM generate_series(1, %(n_pol)s) i, p""")
    # policy i started (n_pol - i) / n_pol * pdays ago: ids grow with time
    step('policies', """
        INSERT INTO insurance_policy (id, company, number, insured, line,
            start_date, end_date, issuing_region, currency,
            premium_paid_until, facultative_reinsurance, xl_reinsurance,
            insured_object, create_uid, create_date)
        SELECT %(poloff)s + i, %(company)s, 'BP-' || lpad(i::text, 8, '0'),
            %(poff)s + i, wl.line, s.start_date, s.start_date + 365,
            wr.region, %(currency)s,
            CASE WHEN pg_temp.h(i, 6) < 950000 THEN s.start_date + 365
                ELSE s.start_date + 90 END,
            pg_temp.h(i, 4) < 20000, pg_temp.h(i, 5) < 50000,
            'Objeto asegurado ' || i, 0, p.now_
        FROM generate_series(1, %(n_pol)s) i
        CROSS JOIN p
        CROSS JOIN LATERAL (SELECT p.today - (((%(n_pol)s - i)::bigint
                * %(pdays)s) / %(n_pol)s)::integer AS start_date) s
        JOIN w_line wl ON pg_temp.h(i, 2) >= wl.lo AND pg_temp.h(i, 2) < wl.hi
        JOIN w_region wr
            ON pg_temp.h(i, 3) >= wr.lo AND pg_temp.h(i, 3) < wr.hi""")
    step('coverages', """
        INSERT INTO insurance_policy_coverage (id, policy, name,
            insured_amount, deductible_kind, create_uid, create_date)
        SELECT %(coff)s + 2 * (i - 1) + k, %(poloff)s + i,
            CASE k WHEN 1 THEN 'Daños propios'
                ELSE 'Responsabilidad civil' END,
            (10000 + pg_temp.h(i, 10 + k) %% 490000)::numeric,
            'none', 0, p.now_
        FROM generate_series(1, %(n_pol)s) i, generate_series(1, 2) k, p""")
    # claim j was notified (n - j) / n * hdays ago; its policy started
    # between 10 and 310 days before the occurrence
    step('claim source', """
        CREATE TEMP TABLE src AS
        SELECT j, %(cloff)s + j AS id, pol.id AS policy, pol.line,
            pol.insured, pol.issuing_region, pol.i AS pol_i,
            c.occurred_at, c.notified_at,
            EXTRACT(DAY FROM p.now_ - c.notified_at)::integer AS age,
            pg_temp.h(j, 21) AS u,
            (100 + pg_temp.h(j, 22) %% 50000)::numeric AS damage
        FROM generate_series(1, %(n)s) j
        CROSS JOIN p
        CROSS JOIN LATERAL (SELECT
                (((%(n)s - j)::bigint * %(hdays)s) / %(n)s)::integer
                    + 1 AS occ_ago,
                pg_temp.h(j, 20) %% 300 + 10 AS jitter) d
        CROSS JOIN LATERAL (SELECT GREATEST(1, LEAST(%(n_pol)s,
                %(n_pol)s - (((d.occ_ago + d.jitter)::bigint * %(n_pol)s)
                    / %(pdays)s)::integer)) AS i) k
        CROSS JOIN LATERAL (SELECT %(poloff)s + k.i AS id, k.i,
                pp.line, pp.insured, pp.issuing_region
            FROM insurance_policy pp WHERE pp.id = %(poloff)s + k.i) pol
        CROSS JOIN LATERAL (SELECT
                p.now_ - make_interval(days => d.occ_ago,
                    mins => pg_temp.h(j, 23) %% 1440) AS occurred_at,
                LEAST(p.now_ - interval '1 hour',
                    p.now_ - make_interval(days => d.occ_ago,
                        mins => pg_temp.h(j, 23) %% 1440)
                    + make_interval(mins => pg_temp.h(j, 24) %% 2880))
                    AS notified_at) c""")
    step('claim states', """
        ALTER TABLE src ADD COLUMN state varchar;
        UPDATE src SET state = CASE
            WHEN age < 30 THEN CASE
                WHEN u < 80000 THEN 'draft' WHEN u < 780000 THEN 'open'
                WHEN u < 880000 THEN 'approval'
                WHEN u < 920000 THEN 'approved'
                WHEN u < 950000 THEN 'declined'
                WHEN u < 970000 THEN 'closed' ELSE 'cancelled' END
            WHEN age < 365 THEN CASE
                WHEN u < 5000 THEN 'draft' WHEN u < 455000 THEN 'open'
                WHEN u < 555000 THEN 'approval'
                WHEN u < 635000 THEN 'approved'
                WHEN u < 715000 THEN 'declined'
                WHEN u < 965000 THEN 'closed' ELSE 'cancelled' END
            ELSE CASE
                WHEN u < 40000 THEN 'open' WHEN u < 50000 THEN 'approval'
                WHEN u < 60000 THEN 'approved'
                WHEN u < 150000 THEN 'declined'
                WHEN u < 960000 THEN 'closed' ELSE 'cancelled' END
            END;
        ALTER TABLE src ADD COLUMN occurrence_region integer,
            ADD COLUMN registered_at timestamp(0),
            ADD COLUMN decided_at timestamp(0);
        UPDATE src SET
            occurrence_region = CASE WHEN pg_temp.h(j, 25) < 850000
                THEN issuing_region
                ELSE (SELECT region FROM w_region
                    WHERE pg_temp.h(j, 26) >= lo AND pg_temp.h(j, 26) < hi)
                END,
            registered_at = CASE WHEN state NOT IN ('draft', 'cancelled')
                THEN LEAST(notified_at + interval '20 hours',
                    (SELECT now_ FROM p) - interval '30 minutes') END,
            decided_at = CASE WHEN state IN ('approved', 'declined', 'closed')
                THEN LEAST(notified_at + make_interval(
                        days => 20 + pg_temp.h(j, 27) %% 60),
                    (SELECT now_ FROM p) - interval '10 minutes') END""")
    step('claims', """
        INSERT INTO insurance_claim (id, company, number, policy, line,
            insured, channel, reporter_name, reporter_phone, notified_at,
            occurred_at, description, insured_object, location,
            occurrence_region, issuing_region, executive, scenario, theft,
            damage_estimate, registered_at, registered_by, currency,
            paid_amount, decline_reason, decided_at, state, total_loss,
            deductible_modality, create_uid, create_date)
        SELECT s.id,  %(company)s,
            CASE WHEN s.state NOT IN ('draft', 'cancelled')
                THEN 'HIS-' || lpad(s.j::text, 8, '0') END,
            s.policy, s.line, s.insured,
            (ARRAY['phone', 'email', 'whatsapp', 'call_center', 'office',
                'app', 'agent', 'verbal'])[1 + pg_temp.h(s.j, 30) %% 8],
            'Denunciante ' || s.j, '7' || lpad((s.j %% 10000000)::text, 7, '0'),
            s.notified_at, s.occurred_at, 'Siniestro ' || s.j,
            'Objeto asegurado ' || s.pol_i, 'Lugar ' || s.j,
            s.occurrence_region, s.issuing_region,
            CASE WHEN s.occurrence_region = ANY(%(exec_regions)s)
                THEN %(exec_employee)s END,
            'partial', false,
            CASE WHEN s.registered_at IS NOT NULL THEN s.damage END,
            s.registered_at,
            CASE WHEN s.registered_at IS NULL THEN NULL
                WHEN s.occurrence_region = ANY(%(exec_regions)s)
                THEN %(exec_user)s ELSE 1 END,
            %(currency)s,
            CASE WHEN s.state = 'closed' THEN round(s.damage * 0.9, 2)
                ELSE 0 END,
            CASE WHEN s.state = 'declined' THEN 'Sin cobertura' END,
            s.decided_at, s.state, false, 'paid', 0, s.notified_at
        FROM src s""")
    step('claim coverages', """
        INSERT INTO "insurance_claim-insurance_policy_coverage" (claim,
            coverage, create_uid, create_date)
        SELECT s.id, %(coff)s + 2 * (s.pol_i - 1) + 1, 0, s.notified_at
        FROM src s""")
    # initial (10 %% placeholder), estimate, then release/adjustment
    step('reserve lines', """
        INSERT INTO insurance_claim_reserve (claim, date, amount, kind,
            reason, estimated, "user", create_uid, create_date, change,
            first, company, region, line)
        SELECT r.claim, r.date, r.amount, r.kind, r.reason, r.estimated,
            1, 1, r.date,
            r.amount - COALESCE(lag(r.amount) OVER w, 0),
            row_number() OVER w = 1, %(company)s, r.region, r.line
        FROM (
            SELECT s.id AS claim, s.j, s.occurrence_region AS region,
                s.line, 1 AS seq, s.registered_at AS date,
                round(cov.insured_amount * 0.10, 2) AS amount,
                'initial' AS kind,
                'Reserva inicial' AS reason, true AS estimated
            FROM src s JOIN insurance_policy_coverage cov
                ON cov.id = %(coff)s + 2 * (s.pol_i - 1) + 1
            WHERE s.registered_at IS NOT NULL
            UNION ALL
            SELECT s.id, s.j, s.occurrence_region, s.line, 2,
                LEAST(s.registered_at
                    + make_interval(days => 1 + pg_temp.h(s.j, 31) %% 15),
                    COALESCE(s.decided_at, (SELECT now_ FROM p))
                    - interval '5 minutes'),
                s.damage, 'estimate', 'Estimación', false
            FROM src s WHERE s.registered_at IS NOT NULL
            UNION ALL
            SELECT s.id, s.j, s.occurrence_region, s.line, 3,
                CASE WHEN s.state IN ('closed', 'declined')
                    THEN s.decided_at
                    ELSE LEAST(s.registered_at + make_interval(
                            days => 16 + pg_temp.h(s.j, 32) %% 30),
                        (SELECT now_ FROM p) - interval '1 minute') END,
                CASE WHEN s.state = 'closed' THEN round(s.damage * 0.9, 2)
                    WHEN s.state = 'declined' THEN 0
                    ELSE round(s.damage * 1.1, 2) END,
                CASE WHEN s.state IN ('closed', 'declined') THEN 'release'
                    ELSE 'adjustment' END,
                'Ajuste', false
            FROM src s WHERE s.registered_at IS NOT NULL
                AND (s.state IN ('closed', 'declined', 'approved')
                    OR pg_temp.h(s.j, 33) < 500000)
            ) r
        WINDOW w AS (PARTITION BY r.claim ORDER BY r.date, r.seq)
        ORDER BY r.j, r.seq""")
    step('claim reserve', """
        UPDATE insurance_claim c SET reserve_amount = l.amount,
            reserve_estimated = l.estimated
        FROM (SELECT DISTINCT ON (claim) claim, amount, estimated
            FROM insurance_claim_reserve WHERE claim > %(cloff)s
            ORDER BY claim, date DESC, id DESC) l
        WHERE l.claim = c.id""")
    step('documents', """
        INSERT INTO insurance_claim_document (claim, requirement, name,
            mandatory, state, requested_on, received_on, create_uid,
            create_date)
        SELECT s.id, CASE WHEN k <= 3 THEN req.id END,
            COALESCE(req.name, 'Documento complementario'), true, d.state,
            CASE WHEN d.state IN ('requested', 'received')
                THEN s.registered_at::date END,
            CASE WHEN d.state = 'received'
                THEN LEAST(s.registered_at::date + 5,
                    (SELECT today FROM p)) END,
            1, s.registered_at
        FROM src s
        CROSS JOIN generate_series(1, 4) k
        LEFT JOIN LATERAL (SELECT id, name FROM insurance_line_requirement
            WHERE line IS NULL ORDER BY id OFFSET k - 1 LIMIT 1) req ON k <= 3
        CROSS JOIN LATERAL (SELECT CASE
                WHEN s.state IN ('approved', 'closed') THEN 'received'
                WHEN pg_temp.h(s.j * 4 + k, 34) < 400000 THEN 'pending'
                WHEN pg_temp.h(s.j * 4 + k, 34) < 600000 THEN 'requested'
                ELSE 'received' END AS state) d
        WHERE s.registered_at IS NOT NULL
        ORDER BY s.j, k""")
    # registration, inspection, notification, decision; the active claims
    # keep pending deadlines, some overdue
    step('deadlines', """
        INSERT INTO insurance_claim_deadline (claim, kind, due, done_at,
            state, responsible, breached_at, notified, create_uid,
            create_date)
        SELECT dl.claim, dl.kind, dl.due,
            CASE WHEN dl.state = 'met' THEN dl.due - interval '2 hours' END,
            dl.state, dl.responsible,
            CASE WHEN dl.state = 'breached' THEN dl.due + interval '1 day'
                END,
            dl.state = 'breached', 1, dl.notified_at
        FROM (
            SELECT s.id AS claim, s.j, k.seq, k.kind, s.notified_at,
                s.notified_at + k.delay AS due,
                CASE
                    WHEN s.state = 'cancelled' THEN 'cancelled'
                    WHEN s.state = 'draft' THEN
                        CASE WHEN s.notified_at + k.delay
                                < (SELECT now_ FROM p)
                            AND pg_temp.h(s.j * 4 + k.seq, 40) < 300000
                            THEN 'breached' ELSE 'pending' END
                    WHEN s.state = 'declined' AND k.kind IN (
                        'inspection', 'notification') THEN 'cancelled'
                    WHEN s.state IN ('open', 'approval') AND (
                        (k.kind IN ('inspection', 'notification')
                            AND pg_temp.h(s.j * 4 + k.seq, 41) < 500000)
                        OR k.kind = 'decision') THEN
                        CASE WHEN s.notified_at + k.delay
                                < (SELECT now_ FROM p)
                            AND pg_temp.h(s.j * 4 + k.seq, 42) < 250000
                            THEN 'breached' ELSE 'pending' END
                    ELSE 'met' END AS state,
                CASE WHEN s.occurrence_region = ANY(%(exec_regions)s)
                    THEN %(exec_user)s ELSE 1 END AS responsible
            FROM src s
            CROSS JOIN (VALUES
                (1, 'registration', interval '7 days'),
                (2, 'inspection', interval '24 hours'),
                (3, 'notification', interval '72 hours'),
                (4, 'decision', interval '40 days')) k(seq, kind, delay)
            WHERE k.kind != 'decision' OR s.state != 'draft'
            ) dl
        ORDER BY dl.j, dl.seq""")
    step('next_deadline', """
        UPDATE insurance_claim c SET next_deadline = m.due
        FROM (SELECT claim, MIN(due) AS due FROM insurance_claim_deadline
            WHERE state IN ('pending', 'breached') GROUP BY claim) m
        WHERE m.claim = c.id AND c.id > %(cloff)s""")
    # the registrations of the benchmark must not collide with history
    cur.execute("SELECT sequence_name FROM information_schema.sequences "
        "WHERE sequence_name = 'ir_sequence_' || ("
        "SELECT claim_sequence FROM insurance_configuration LIMIT 1)")
    row = cur.fetchone()
    if row:
        cur.execute("SELECT setval(%s, %s)", (row[0], 10))
    cur.execute("""
        SELECT c.relname, a.attname FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relkind = 'r' AND a.attname = 'id' AND a.attidentity != ''
            AND c.relnamespace = 'public'::regnamespace""")
    for table, _ in cur.fetchall():
        cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "GREATEST((SELECT COALESCE(MAX(id), 0) FROM \"{0}\"), 1))"
            .format(table), ('"%s"' % table,))
    conn.commit()
    conn.autocommit = True
    t = time.time()
    conn.execute("VACUUM ANALYZE")
    print('  %-28s %8s      %6.1fs' % ('vacuum analyze', '', time.time() - t),
        file=sys.stderr)
    conn.close()
    print('loaded %d claims in %.1fs' % (n, time.time() - t0),
        file=sys.stderr)


def template_name(n):
    return 'bench_%d' % n


def generate(n, db=None, force=False):
    "Make (or reuse) the template of n claims; clone it to db if given"
    template = template_name(n)
    if (force or not database_exists(template)
            or database_comment(template) != comment()):
        make_base(force=force)
        clone_database(BASE, template)
        load(template, n)
        with connect('postgres', autocommit=True) as conn:
            conn.execute("COMMENT ON DATABASE \"%s\" IS '%s'"
                % (template, comment()))
    else:
        print('reusing template %s' % template, file=sys.stderr)
    if db and db != template:
        clone_database(template, db)
    return db or template


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('n', type=int, help="number of claims")
    parser.add_argument('--db', help="database to create (a copy of the "
        "cached template bench_<N>)")
    parser.add_argument('--force', action='store_true',
        help="rebuild the cached base and templates")
    parser.add_argument('--source', default='HEAD',
        help="git ref of the modules, or 'worktree' (default: HEAD)")
    parser.add_argument('--overlay', nargs='*', default=[],
        help="working-tree files laid over the ref")
    args = parser.parse_args()
    prepare_source(args.source, args.overlay)
    t = time.time()
    name = generate(args.n, args.db, args.force)
    print('%s ready in %.1fs' % (name, time.time() - t), file=sys.stderr)


if __name__ == '__main__':
    main()
