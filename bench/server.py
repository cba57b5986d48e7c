#!/usr/bin/env python3
"""trytond for the benchmarks: the normal server plus bench-only models.

    .venv/bin/python bench/server.py -d DBNAME     (same options as trytond)

The bench-only models (bench/month_end.py) are added to the pool of
insurance_claims at start-up: they exist only in this process, never in
the module, and need no table (table_query).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    from trytond.pool import Pool

    start = Pool.start.__func__

    def start_with_bench(cls):
        started = Pool._started
        start(cls)
        if not started:
            from bench.month_end import ReserveMonthEnd
            Pool.register(ReserveMonthEnd, module='insurance_claims',
                type_='model')
    Pool.start = classmethod(start_with_bench)

    from trytond.cli import main as trytond_main
    sys.argv[0] = 'trytond'
    return trytond_main()


if __name__ == '__main__':
    sys.exit(main())
