"""Every label, selection, message and view text has a Spanish translation:
each module's locale/es.po covers all the strings the module declares, with
no empty or fuzzy entry."""
import json
import os
import re
import unittest

from trytond.tests.test_tryton import activate_module, with_transaction

from .runner import MODULES, ROOT


def read_po(text):
    "Return {(msgctxt, msgid): (msgstr, fuzzy)} of a .po text"
    entries = {}
    for block in text.strip('\n').split('\n\n'):
        parts, key = {}, None
        for line in block.split('\n'):
            match = re.match(r'^(msgctxt|msgid|msgstr) (".*")$', line)
            if match:
                key = match.group(1)
                parts[key] = [match.group(2)]
            elif line.startswith('"') and key:
                parts[key].append(line)
        if not parts.get('msgid'):
            continue

        def value(k):
            return ''.join(json.loads(p) for p in parts.get(k, ['""']))
        if not value('msgid'):
            continue
        entries[(value('msgctxt'), value('msgid'))] = (
            value('msgstr'), '#, fuzzy' in block)
    return entries


def po_path(module):
    return os.path.join(ROOT, 'addons', module, 'locale', 'es.po')


class SpanishTestCase(unittest.TestCase):
    "Test the Spanish translations of every module"

    def test_no_empty_or_fuzzy(self):
        "No entry of es.po is empty or fuzzy"
        for module in MODULES:
            path = po_path(module)
            if not os.path.exists(path):
                continue
            with open(path, encoding='utf-8') as fp:
                entries = read_po(fp.read())
            for key, (msgstr, fuzzy) in entries.items():
                with self.subTest(module=module, entry=key):
                    self.assertTrue(msgstr, "empty translation")
                    self.assertFalse(fuzzy, "fuzzy translation")


def make_coverage_test(module):
    class CoverageTestCase(unittest.TestCase):

        @classmethod
        def setUpClass(cls):
            activate_module([module])

        @with_transaction()
        def test_every_string_translated(self):
            "es.po translates every string the module declares"
            from trytond.pool import Pool
            Translation = Pool().get('ir.translation')
            exported = Translation.translation_export('en', module)
            if exported is None:
                self.skipTest("%s declares no string" % module)
            declared = read_po(exported.decode('utf-8'))
            with open(po_path(module), encoding='utf-8') as fp:
                translated = read_po(fp.read())
            missing = sorted(k for k in declared if not translated.get(
                        k, ('', True))[0])
            self.assertEqual(missing, [], "missing in %s" % po_path(module))

    CoverageTestCase.__name__ = CoverageTestCase.__qualname__ = (
        'Spanish%sTestCase' % ''.join(
            p.title() for p in module.split('_')))
    return CoverageTestCase


for _module in MODULES:
    if os.path.exists(os.path.join(ROOT, 'addons', _module, 'tryton.cfg')):
        _case = make_coverage_test(_module)
        globals()[_case.__name__] = _case
del _module, _case
