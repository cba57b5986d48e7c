# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.tests.test_tryton import ModuleTestCase


class InsuranceClaimsTestCase(ModuleTestCase):
    "Test Insurance Claims module"
    module = 'insurance_claims'


del ModuleTestCase
