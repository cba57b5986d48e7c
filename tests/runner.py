"""Run every test of the project and print one closing line
"N passed, N failed, N skipped".

python -m tests.runner [NAME ...] where NAME is a module (insurance_claims),
a module's test file (insurance_claims.test_module) or a project test
(tests.test_browser).
"""
import glob
import os
import sys
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = ['insurance_directory', 'insurance_claims', 'distributor_liquidation']


def module_test_names(module):
    paths = sorted(glob.glob(
            os.path.join(ROOT, 'addons', module, 'tests', 'test_*.py')))
    return ['trytond.modules.%s.tests.%s' % (
            module, os.path.basename(p)[:-3]) for p in paths]


def project_test_names():
    paths = sorted(glob.glob(os.path.join(ROOT, 'tests', 'test_*.py')))
    return ['tests.%s' % os.path.basename(p)[:-3] for p in paths]


def names_for(args):
    if not args:
        names = []
        for module in MODULES:
            names += module_test_names(module)
        return names + project_test_names()
    names = []
    for arg in args:
        if arg in MODULES:
            names += module_test_names(arg)
        elif arg.split('.')[0] in MODULES:
            names.append('trytond.modules.%s.tests.%s' % tuple(
                    arg.split('.', 1)))
        else:
            names.append(arg)
    return names


def main(args):
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for name in names_for(args):
        suite.addTests(loader.loadTestsFromName(name))
    start = time.monotonic()
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors) + len(
        result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    backend = os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://').split(':')[0]
    print('%s: %.0f s' % (backend, time.monotonic() - start))
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 0 if failed == 0 and result.testsRun else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
