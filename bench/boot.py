#!/usr/bin/env python3
"""Start a trytond tool on a snapshot of the addons.

    .venv/bin/python bench/boot.py admin|server|demo ARGS...

With BENCH_ADDONS=DIR (a folder holding insurance_claims/ ...), the
project's modules are imported from DIR instead of the working tree:
the benchmark can run the committed code (plus chosen files) while
colleagues edit the working tree. Without it, this is plain trytond.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

MODULES = ['insurance_directory', 'insurance_claims',
    'distributor_liquidation']


def use_addons(root):
    for name in MODULES:
        path = os.path.join(root, name)
        if not os.path.isdir(path):
            continue
        fullname = 'trytond.modules.' + name
        spec = importlib.util.spec_from_file_location(fullname,
            os.path.join(path, '__init__.py'),
            submodule_search_locations=[path])
        module = importlib.util.module_from_spec(spec)
        sys.modules[fullname] = module
        spec.loader.exec_module(module)


def main():
    tool, sys.argv = sys.argv[1], [sys.argv[0]] + sys.argv[2:]
    import trytond.modules  # noqa: F401
    if os.environ.get('BENCH_ADDONS'):
        use_addons(os.environ['BENCH_ADDONS'])
    if tool == 'admin':
        from trytond.cli.admin import main as run
        sys.argv[0] = 'trytond-admin'
        return run()
    elif tool == 'server':
        from bench.server import main as run
        return run()
    elif tool == 'demo':
        from tests.demo import main as run
        return run(sys.argv[1])
    raise SystemExit('unknown tool %s' % tool)


if __name__ == '__main__':
    sys.exit(main())
