# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import re
import unicodedata
from urllib.parse import urlsplit

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.rpc import RPC
from trytond.wizard import Button, StateAction, StateView, Wizard

from .exceptions import ContactValidationError
from .model import ServerReadonlyMixin

EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{5,}$")
HOST_RE = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$")
# Words that say nothing about what a department does
STOP_WORDS = {
    'a', 'al', 'and', 'con', 'de', 'del', 'do', 'el', 'en', 'for', 'i',
    'how', 'la', 'las', 'lo', 'los', 'mi', 'my', 'o', 'of', 'on', 'or',
    'para', 'por', 'que', 'quien', 'se', 'the', 'to', 'un', 'una', 'what',
    'where', 'who', 'y',
    }


def is_email(value):
    "Tell if value is an e-mail address: the one rule of the project"
    return bool(EMAIL_RE.match((value or '').strip()))


def normalize(text):
    "Return text lower-cased, without accents, in words"
    text = unicodedata.normalize('NFKD', text or '')
    text = ''.join(c for c in text if not unicodedata.combining(c))
    return re.findall(r'[a-z0-9]+', text.lower())


def query_words(query):
    return [w for w in normalize(query) if w not in STOP_WORDS]


def word_score(query_word, words):
    "Score how well query_word matches one of words"
    best = 0
    for word in words:
        if word == query_word:
            return 3
        shortest = min(len(word), len(query_word))
        if shortest >= 4 and (
                word.startswith(query_word) or query_word.startswith(word)):
            best = max(best, 2)
        elif (len(query_word) >= 4 and query_word in word) or (
                shortest >= 5 and word[:5] == query_word[:5]):
            best = max(best, 1)
    return best


class Department(
        ServerReadonlyMixin, DeactivableMixin, sequence_ordered(),
        ModelSQL, ModelView):
    __name__ = 'insurance.department'
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)
    description = fields.Text("Description", translate=True)
    functions = fields.One2Many(
        'insurance.department.function', 'department', "Functions")
    contacts = fields.One2Many(
        'insurance.department.contact', 'department', "Contacts")
    requirements = fields.One2Many(
        'insurance.department.requirement', 'department', "Requirements")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'insurance_directory.msg_department_code_unique'),
            ]
        cls.__rpc__.update({
                'who_handles': RPC(),
                })

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('name',) + tuple(clause[1:]),
            ('code',) + tuple(clause[1:]),
            ]

    def contacts_for(self, region=None):
        """Return the contacts to show for the region:
        those of the region (or of a region above it) first, then the general
        ones; the contacts of other regions are left out"""
        if region is None:
            return sorted(self.contacts, key=lambda c: c.region is not None)
        ancestors = region.ancestors()
        regional = [c for c in self.contacts if c.region in ancestors]
        regional.sort(key=lambda c: ancestors.index(c.region))
        general = [c for c in self.contacts if not c.region]
        return regional + general

    @classmethod
    def who_handles(cls, query, region=None):
        """Return the functions that match query, best first, as dictionaries
        with the department, its contacts and what to send"""
        pool = Pool()
        Function = pool.get('insurance.department.function')
        Region = pool.get('insurance.region')
        words = query_words(query if isinstance(query, str) else '')
        if not words:
            return []
        if region is not None and not isinstance(region, Region):
            regions = Region.search([('id', '=', int(region))])
            region = regions[0] if regions else None

        matches = []
        for function in Function.search([
                    ('department.active', '=', True),
                    ]):
            score = function.match_score(words)
            if score:
                matches.append((score, function))
        matches.sort(key=lambda m: (
                -m[0], m[1].department.sequence or 0, m[1].department.name,
                m[1].sequence or 0, m[1].id))
        return [f.who_handles_result(region) for _, f in matches]


class Function(ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'insurance.department.function'
    department = fields.Many2One(
        'insurance.department', "Department", required=True,
        ondelete='CASCADE')
    name = fields.Char("Function", required=True, translate=True)
    keywords = fields.Char(
        "Keywords", translate=True,
        help="Other words people use when they ask for this function, "
        "separated by spaces or commas.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('department')

    def match_score(self, words):
        """Return how well the query words match the function:
        each word counts against the name, the keywords and the department
        name; a word that matches nothing lowers the score"""
        name_words = normalize(self.name)
        keywords = normalize(self.keywords)
        department_words = normalize(self.department.name)
        score, matched = 0, 0
        for word in words:
            best = max(
                word_score(word, name_words) * 2,
                word_score(word, keywords) * 2,
                word_score(word, department_words))
            if best:
                matched += 1
            score += best
        if not matched:
            return 0
        # Prefer functions that match every word of the question
        return score * matched / len(words)

    def who_handles_result(self, region=None):
        department = self.department
        return {
            'department': department.id,
            'department_name': department.name,
            'function': self.name,
            'function_id': self.id,
            'contacts': [{
                    'kind': c.kind,
                    'value': c.value,
                    'label': c.label or '',
                    'region': c.region.name if c.region else None,
                    } for c in department.contacts_for(region)],
            'requirements': [
                r.name for r in department.requirements
                if not r.function or r.function == self],
            }


class Contact(ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'insurance.department.contact'
    department = fields.Many2One(
        'insurance.department', "Department", required=True,
        ondelete='CASCADE')
    kind = fields.Selection([
            ('email', "E-Mail"),
            ('phone', "Phone"),
            ('web', "Website"),
            ('person', "Person"),
            ], "Kind", required=True)
    value = fields.Char("Value", required=True)
    label = fields.Char(
        "Label", translate=True,
        help='How to use it, for example "Option 5, 7 and 8".')
    region = fields.Many2One(
        'insurance.region', "Region", ondelete='RESTRICT',
        help="Leave empty when the contact serves every region.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('department')

    @staticmethod
    def default_kind():
        return 'email'

    def get_rec_name(self, name):
        if self.label:
            return '%s (%s)' % (self.value, self.label)
        return self.value

    @fields.depends('kind', 'value')
    def on_change_value(self):
        if self.value:
            self.value = self.value.strip()

    @classmethod
    def validate_fields(cls, contacts, field_names):
        super().validate_fields(contacts, field_names)
        cls.check_value(contacts, field_names)

    @classmethod
    def check_value(cls, contacts, field_names=None):
        if field_names and not (field_names & {'kind', 'value'}):
            return
        for contact in contacts:
            if not contact.is_valid_value():
                raise ContactValidationError(gettext(
                        'insurance_directory.msg_contact_invalid_%s'
                        % contact.kind,
                        value=contact.value,
                        department=contact.department.rec_name))

    def is_valid_value(self):
        value = (self.value or '').strip()
        if self.kind == 'email':
            return is_email(value)
        elif self.kind == 'phone':
            return bool(PHONE_RE.match(value)) and sum(
                c.isdigit() for c in value) >= 5
        elif self.kind == 'web':
            parts = urlsplit(value)
            return (parts.scheme in {'http', 'https'}
                and bool(HOST_RE.match(parts.hostname or ''))
                and ' ' not in value)
        return True


class Requirement(
        ServerReadonlyMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'insurance.department.requirement'
    department = fields.Many2One(
        'insurance.department', "Department", required=True,
        ondelete='CASCADE')
    function = fields.Many2One(
        'insurance.department.function', "Function", ondelete='CASCADE',
        domain=[
            ('department', '=', Eval('department', -1)),
            ],
        help="Leave empty when every function of the department needs it.")
    name = fields.Char("Requirement", required=True, translate=True)
    mandatory = fields.Boolean(
        "Mandatory",
        help="Whether the request is refused without it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('department')

    @staticmethod
    def default_mandatory():
        return True


class WhoHandlesStart(ModelView):
    __name__ = 'insurance.department.who_handles.start'
    query = fields.Char(
        "Question", required=True,
        help='What you need, in a few words: "premium refund", '
        '"work order folio".')
    region = fields.Many2One(
        'insurance.region', "Region",
        help="Your region, to show its mailboxes first.")


class WhoHandlesResult(ModelView):
    __name__ = 'insurance.department.who_handles.result'
    query = fields.Char("Question", readonly=True)
    region = fields.Many2One('insurance.region', "Region", readonly=True)
    department = fields.Many2One(
        'insurance.department', "Department", readonly=True)
    function = fields.Char("Function", readonly=True)
    contacts = fields.Text("Contacts", readonly=True)
    requirements = fields.Text("What to send", readonly=True)
    others = fields.Text("Other matches", readonly=True)


class WhoHandles(Wizard):
    __name__ = 'insurance.department.who_handles'
    start = StateView(
        'insurance.department.who_handles.start',
        'insurance_directory.who_handles_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Search", 'result', 'tryton-search', default=True),
            ])
    result = StateView(
        'insurance.department.who_handles.result',
        'insurance_directory.who_handles_result_view_form', [
            Button("New Question", 'start', 'tryton-back'),
            Button("Open Department", 'open_', 'tryton-forward'),
            Button("Close", 'end', 'tryton-close', default=True),
            ])
    open_ = StateAction('insurance_directory.act_department_form')

    def default_result(self, fields):
        pool = Pool()
        Department = pool.get('insurance.department')
        Contact = pool.get('insurance.department.contact')
        kinds = dict(Contact.fields_get(['kind'])['kind']['selection'])
        region = self.start.region
        results = Department.who_handles(self.start.query, region)
        values = {
            'query': self.start.query,
            'region': region.id if region else None,
            }
        if not results:
            values['function'] = gettext(
                'insurance_directory.msg_who_handles_nothing')
            return values
        best, others = results[0], results[1:6]
        values.update({
                'department': best['department'],
                'function': best['function'],
                'contacts': '\n'.join(
                    '%s: %s%s' % (
                        kinds.get(c['kind'], c['kind']), c['value'],
                        ' (%s)' % c['label'] if c['label'] else '')
                    for c in best['contacts']),
                'requirements': '\n'.join(
                    '- %s' % r for r in best['requirements']),
                'others': '\n'.join(
                    '%s: %s' % (o['department_name'], o['function'])
                    for o in others),
                })
        return values

    def do_open_(self, action):
        department = self.result.department
        if department:
            action['res_id'] = [department.id]
            action['views'].reverse()
        return action, {}
