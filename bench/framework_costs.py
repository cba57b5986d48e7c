#!/usr/bin/env python3
"""What two framework costs take from the claims list: an experiment.

    .venv/bin/python bench/framework_costs.py bench_1000000_run

DB is a bench database updated to the module code (``bench/run.py --keep``
leaves ``bench_<N>_run``). In this process only, through trytond's WSGI
application (no HTTP), the work queue list of ``run.py`` and its floor (the
same read of one claim) are timed three times:

1. trytond as it is;
2. with ``cursor_dict`` reading the column names once per query instead of
   once per row (psycopg 3 rebuilds ``cursor.description`` on each access,
   psycopg/psycopg#457);
3. and with the JSON-RPC response encoded by one call of the C encoder
   instead of trytond's streaming pure-Python ``iterencode`` (one gzip
   call per JSON token above 1,400 bytes).

The patches exist only in this process; the modules and the server never
load them. They show how much of the list's distance to its floor is the
framework's cost per row rather than the modules'.
"""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import BASE_URI, connect  # noqa: E402
from bench.run import (  # noqa: E402
    EXECUTIVE, OPEN_STATES, WORK_REGION, Session, view_fields)

RUNS = 40


class InProcessSession(Session):
    "The bench's JSON-RPC session on trytond's WSGI application, no HTTP"

    def __init__(self, client, db, login, password):
        self.client = client
        self.login(db, login, password)

    def post(self, body, headers):
        return self.client.post(self.path, data=body,
            headers=headers).get_data()


def median_ms(func):
    func()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def description_once():
    from trytond.model import modelsql

    def cursor_dict(cursor, size=None):
        size = cursor.arraysize if size is None else size
        names = None
        while rows := cursor.fetchmany(size):
            if names is None:
                names = [d[0] for d in cursor.description]
            for row in rows:
                yield dict(zip(names, row))
    modelsql.cursor_dict = cursor_dict


def json_in_one_call():
    from trytond.protocols import jsonrpc

    class Encoder(type(jsonrpc.encoder)):
        def iterencode(self, o, _one_shot=False):
            return [''.join(super().iterencode(o, _one_shot=True))]
    jsonrpc.encoder = Encoder(separators=(',', ':'))


def main():
    db = sys.argv[1]
    os.environ['TRYTOND_DATABASE__URI'] = BASE_URI
    os.environ.pop('TRYTOND_CONFIG', None)
    from werkzeug.test import Client

    from trytond.pool import Pool
    Pool.start()
    Pool(db).init()
    from trytond.wsgi import app

    session = InProcessSession(Client(app), db, *EXECUTIVE)
    with connect(db) as conn:
        region, = conn.execute(
            "SELECT id FROM insurance_region WHERE code = %s",
            (WORK_REGION,)).fetchone()
    fields_ = view_fields(session, 'insurance.claim', 'tree')
    domain = [('occurrence_region', '=', region),
        ('state', 'in', OPEN_STATES)]
    order = [('next_deadline', 'ASC')]
    first = session.model('insurance.claim', 'search_read', domain, 0, 80,
        order, fields_)[0]['id']

    def queue():
        session.model('insurance.claim', 'search_read', domain, 0, 80,
            order, fields_)

    def floor():
        session.model('insurance.claim', 'search_read', [('id', '=', first)],
            0, 80, None, fields_)
    for label, patch in [("trytond as it is", None),
            ("+ column names once per query", description_once),
            ("+ JSON in one C call", json_in_one_call)]:
        if patch:
            patch()
        list_ms, floor_ms = median_ms(queue), median_ms(floor)
        print('%-32s list %5.1f ms  floor %4.1f ms  ×%.2f' % (
                label, list_ms, floor_ms, list_ms / floor_ms), flush=True)


if __name__ == '__main__':
    main()
