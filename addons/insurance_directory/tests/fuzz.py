# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Property-based checks of what the server accepts from a client

Hypothesis sends values of the wrong type, extreme numbers, dates and texts
to ``create``, ``write`` and the buttons as a user with access checks on,
as the dispatcher calls them.  Every call either succeeds with values within
the documented bounds or raises a ``UserError`` (or a ``UserWarning``) whose
message names the field; no other exception escapes and a refused call saves
nothing.
"""
import datetime as dt
import math
import os
from collections import Counter
from contextlib import nullcontext
from decimal import Decimal
from unittest.mock import patch

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from trytond import backend
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from ..exceptions import FieldValueError, SystemFieldError
from .tools import reset_caches

# one set-up per test, each example rolled back; no example database in the
# working tree; FUZZ_EXAMPLES=1000 for a longer campaign
FUZZ = settings(
    max_examples=int(os.environ.get('FUZZ_EXAMPLES', 80)), deadline=None,
    database=None, print_blob=True, suppress_health_check=list(HealthCheck))
# a sequence of calls per example
FUZZ_STEPS = settings(FUZZ, max_examples=max(FUZZ.max_examples // 2, 1))

INTEGERS = [
    0, 1, -1, 2 ** 31 - 1, 2 ** 31, -2 ** 31 - 1, 2 ** 63, -2 ** 63 - 1,
    10 ** 30]
FLOATS = [
    math.nan, math.inf, -math.inf, 1e20, -1e20, 5e-324, -0.0, 1.7e308]
DECIMALS = [Decimal(d) for d in [
        'NaN', 'sNaN', '-NaN', 'Infinity', '-Infinity', '1E+20', '-1E+20',
        '1E+1000', '1E-1000', '1E-20', '-0', '0.001', '-1',
        '99999999999999.99', '100000000000000', '1000000000.01',
        '123456789012345678901234567890.12345']]
DATES = [
    dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(1949, 12, 31),
    dt.date(1950, 1, 1), dt.date(1999, 12, 31), dt.date(2100, 12, 31),
    dt.date(2101, 1, 1), dt.date(9999, 12, 31)]
DATETIMES = [dt.datetime.combine(d, dt.time(12)) for d in DATES] + [
    dt.datetime.min, dt.datetime.max,
    dt.datetime(2026, 3, 10, 12, tzinfo=dt.timezone.utc)]
# texts no database stores: NUL (PostgreSQL) and lone surrogates (UTF-8)
UNSTORABLE = ['\x00', 'a\x00b', '\ud800', 'x\udfffy']
TEXTS = UNSTORABLE + [
    '', ' ', '0', 'x' * 100000, 'x' * 1025, 'y' * 32769,
    '\U0001F600' * 600, 'Ñandú Ω ç √ ∫ 中文', '\u202egnp.exe',
    "'; DROP TABLE insurance_claim; --", '%(field)s %s {0}', '\n\r\t',
    'ana@example.com']
ACTIONS = ['create', 'write', 'delete', 'remove', 'add', 'copy', 'unlink']


def deep(depth=500):
    "A list nested as deep as a JSON request may carry"
    value = []
    for _ in range(depth):
        value = [value]
    return value


def scalars():
    return st.one_of(
        st.none(), st.booleans(),
        st.integers(), st.sampled_from(INTEGERS),
        st.floats(), st.sampled_from(FLOATS),
        st.decimals(), st.sampled_from(DECIMALS),
        st.dates(), st.sampled_from(DATES),
        st.datetimes(timezones=st.none() | st.just(dt.timezone.utc)),
        st.sampled_from(DATETIMES),
        st.times(), st.timedeltas(),
        st.text(), st.sampled_from(TEXTS),
        st.binary(max_size=32))


def anything():
    "Any value a JSON-RPC request can carry"
    return st.one_of(
        st.recursive(scalars(), lambda inner: st.one_of(
                st.lists(inner, max_size=3),
                st.dictionaries(st.text(max_size=8), inner, max_size=3),
                st.tuples(st.sampled_from(ACTIONS), inner),
                st.tuples(st.sampled_from(ACTIONS),
                    st.lists(inner, max_size=2), inner)),
            max_leaves=6),
        st.builds(deep))


def ids_of(ids, model_name):
    "Ids of existing records of the model, and ints that are not"
    existing = list(ids.get(model_name) or [])
    others = [
        st.integers(min_value=-2, max_value=2 ** 40),
        st.sampled_from([0, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 63, 10 ** 30])]
    if existing:
        return st.one_of(st.sampled_from(existing), *others)
    return st.one_of(*others)


def typed(Model, name, ids):
    "Values of the field's type, extremes included"
    field = Model._fields[name]
    if isinstance(field, fields.Function):
        field = field._field
    if isinstance(field, fields.Boolean):
        return st.booleans()
    elif isinstance(field, (fields.Numeric, fields.Float)):
        return st.one_of(
            st.decimals(min_value=-10 ** 15, max_value=10 ** 15,
                allow_nan=False, allow_infinity=False),
            st.decimals(min_value=-10 ** 10, max_value=10 ** 10, places=2),
            st.floats(min_value=-1e15, max_value=1e15),
            st.integers(min_value=-10 ** 15, max_value=10 ** 15),
            st.sampled_from(DECIMALS + FLOATS))
    elif isinstance(field, fields.Integer):
        return st.one_of(
            st.integers(min_value=-2 ** 32, max_value=2 ** 32),
            st.sampled_from(INTEGERS))
    elif isinstance(field, fields.Timestamp):
        return st.one_of(
            st.datetimes(min_value=dt.datetime(1900, 1, 1),
                max_value=dt.datetime(2200, 1, 1)),
            st.sampled_from(DATETIMES))
    elif isinstance(field, fields.Date):
        return st.one_of(
            st.dates(min_value=dt.date(1900, 1, 1),
                max_value=dt.date(2200, 1, 1)),
            st.sampled_from(DATES))
    elif isinstance(field, fields.Time):
        return st.times()
    elif isinstance(field, fields.Selection):
        selection = Model.fields_get([name])[name].get('selection')
        keys = [k for k, _ in selection] if isinstance(
            selection, list) else []
        return st.one_of(
            st.sampled_from(keys or [None]), st.text(max_size=10),
            st.sampled_from(UNSTORABLE))
    elif isinstance(field, fields.Char):
        size = field.size if isinstance(field.size, int) else (
            32768 if isinstance(field, fields.Text) else 1024)
        return st.one_of(
            st.text(max_size=300), st.sampled_from(TEXTS),
            st.sampled_from(UNSTORABLE),
            st.sampled_from([
                    'x' * (size - 1), 'x' * size, 'x' * (size + 1)]))
    elif isinstance(field, fields.Many2One):
        return ids_of(ids, field.model_name)
    elif isinstance(field, fields.Reference):
        return st.one_of(st.text(max_size=20), st.sampled_from([
                    '%s,1' % Model.__name__, 'ir.nonexistent,1',
                    '%s,-1' % Model.__name__, ',', Model.__name__]))
    elif isinstance(field, (fields.One2Many, fields.Many2Many)):
        target = (field.model_name if isinstance(field, fields.One2Many)
            else field.get_target().__name__)
        some_ids = st.lists(ids_of(ids, target), max_size=2)
        action = st.one_of(
            st.tuples(st.sampled_from(['add', 'remove', 'delete', 'copy']),
                some_ids),
            st.tuples(st.just('create'), st.lists(
                    st.dictionaries(st.sampled_from(['name', 'amount',
                                'description', 'id', 'rec_name']),
                        scalars(), max_size=2), max_size=2)),
            st.tuples(st.just('write'), some_ids,
                st.dictionaries(st.text(max_size=8), scalars(), max_size=2)),
            anything())
        return st.lists(action, max_size=3)
    elif isinstance(field, fields.Binary):
        return st.one_of(st.binary(max_size=64), st.text(max_size=10))
    return anything()


def values(Model, name, ids):
    "Values for the field: mostly of its type, else anything"
    if name not in Model._fields:
        return anything()
    return st.one_of(*[typed(Model, name, ids)] * 3, anything())


def field_names(Model):
    """The fields of the model, mostly those a client may write, each kind
    of field as likely as another"""
    names = sorted(Model._fields)
    system = set()
    if hasattr(Model, '_system_fields'):
        system = Model._system_fields() | Model._computed_fields()
    kinds = {}
    for name in names:
        if name not in system:
            kinds.setdefault(type(Model._fields[name]), []).append(name)
    writable = [st.sampled_from(n) for _, n in sorted(
            kinds.items(), key=lambda k: k[0].__name__)]
    return st.one_of(
        st.one_of(*writable) if writable else st.sampled_from(names),
        st.sampled_from(names))


def same_transaction():
    """On SQLite run Tryton's new transactions in the current one

    A test database in memory has one connection: the new transaction that
    Tryton opens to explain an integrity error rolls the test's transaction
    back when it ends (or commits it, when the cache's clean timeout has
    passed), so a refused call would lose or leak the set-up."""
    if backend.name != 'sqlite':
        return nullcontext()
    return patch.object(Transaction, 'new_transaction',
        lambda self, *args, **kwargs: nullcontext(self))


# one of each kind of value that broke the server once
EXTREMES = [
    None, True, 2 ** 31, 2 ** 63, 10 ** 30, math.nan, math.inf,
    Decimal('NaN'), Decimal('1E+20'), Decimal('1E-1000'), Decimal('0.001'),
    dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.datetime(1900, 1, 1),
    dt.datetime(2026, 3, 10, 12, tzinfo=dt.timezone.utc), 'x' * 100000,
    b'bytes', [1], [[]], [('add', [0])], [('add', [2 ** 40])],
    [('create',)], [('copy', [1], {'x': 1})], deep(50),
    ] + UNSTORABLE


def sweep_fields(Model):
    "A field a client may write of each kind, and the unknown"
    system = set()
    if hasattr(Model, '_system_fields'):
        system = Model._system_fields() | Model._computed_fields()
    kinds = {}
    for name in sorted(Model._fields):
        if name not in system:
            kinds.setdefault(type(Model._fields[name]), name)
    return sorted(kinds.values()) + ['__nonexistent']


def stored_fields(Model):
    return sorted(name for name, field in Model._fields.items()
        if not isinstance(field, fields.Function)
        and not (isinstance(field, fields.Binary)
            and getattr(field, 'file_id', None)))


def snapshot(watched):
    """The stored values of the watched records and the number of records of
    the watched models, read fresh without access checks"""
    pool = Pool()
    reset_caches()
    result = []
    with without_check_access(), Transaction().set_context(
            active_test=False, _datetime=None):
        for name, ids in watched:
            Model = pool.get(name)
            result.append((name, Model.search_count([]),
                    sorted(Model.read(ids, stored_fields(Model)),
                        key=lambda r: r['id']) if ids else []))
    return result


def label(Model, name):
    "The translated label of the field"
    return Model.fields_get([name])[name]['string']


def labels(Model, name):
    """The labels a refusal of a value of the field may name: the field's,
    those of the fields whose domain or states depend on it or that are
    computed from it, and for a One2Many or Many2Many those of the target's
    fields"""
    pool = Pool()
    result = {label(Model, name)}
    for other, field in Model._fields.items():
        if name in (field.validation_depends | field.edition_depends
                | (getattr(field, 'on_change_with', None) or set())):
            result.add(label(Model, other))
    field = Model._fields[name]
    if isinstance(field, fields.Function):
        field = field._field
    if isinstance(field, (fields.One2Many, fields.Many2Many)):
        if isinstance(field, fields.Many2Many):
            Target = field.get_target()
        else:
            Target = pool.get(field.model_name)
        result.update(f['string']
            for f in Target.fields_get(list(Target._fields)).values())
    return result


def message(exception):
    return '%s %s' % (exception.message, exception.description or '')


def is_access_refusal(exception):
    """A refusal of the access rights or of the record rules: it names the
    model, not a field"""
    if type(exception) is not AccessError:
        return False
    missing = [gettext(m, ids='\x01', model='\x01').split('\x01')[0]
        for m in ['ir.msg_read_error', 'ir.msg_write_error']]
    return not any(exception.message.startswith(m) for m in missing)


class Fuzzer:
    """Run calls as the user, with access checks, and check what they did

    as_user: a context manager that sets the user and the context of the
    requests (e.g. ``lambda: checked_as(user, company)``); watched: the
    (model name, ids) whose records and counts a refused call must leave
    as they were.
    """

    def __init__(self, testcase, as_user, watched):
        self.testcase = testcase
        self.as_user = as_user
        self.watched = watched
        self.outcomes = Counter()

    def print_outcomes(self, title):
        "With FUZZ_STATS set, print how the calls ended"
        if os.environ.get('FUZZ_STATS'):
            print('\n%s: %s' % (title, ', '.join(
                        '%s %s' % (n, k)
                        for k, n in self.outcomes.most_common())))

    def call(self, func, Model=None, name=None, check_label=True,
            on_success=None, keep=False):
        """Call func as the user; return the exception that refused it

        When name is given, a refusal must name the field and a success
        must store a value within the bounds of the field.  The call is
        rolled back, but with keep a successful call stays."""
        test = self.testcase
        field_label = None
        if name and name in getattr(Model, '_fields', ()):
            # in the language of the user
            with self.as_user(), without_check_access():
                field_label = Model.__names__(name)['field']
        before = snapshot(self.watched)
        refused = None
        cursor = Transaction().connection.cursor()
        cursor.execute('SAVEPOINT fuzz_call')
        try:
            try:
                with same_transaction(), self.as_user():
                    result = func()
            except (UserError, UserWarning) as exception:
                refused = exception
                if (isinstance(exception, (FieldValueError, SystemFieldError))
                        and field_label
                        and field_label in message(exception)):
                    # refused before anything was written
                    test.assertEqual(snapshot(self.watched), before)
            else:
                if on_success:
                    on_success(result)
        except BaseException as exception:
            if os.environ.get('FUZZ_TRACE'):
                print('FUZZ_TRACE', type(exception).__name__, exception,
                    flush=True)
            cursor.execute('ROLLBACK TO SAVEPOINT fuzz_call')
            cursor.execute('RELEASE SAVEPOINT fuzz_call')
            reset_caches()
            raise
        self.outcomes[type(refused).__name__ if refused else 'accepted'] += 1
        connection = Transaction().connection
        test.assertTrue(getattr(connection, 'in_transaction', True),
            "the call ended the test's transaction")
        if refused or not keep:
            # as the dispatcher rolls back a request
            cursor.execute('ROLLBACK TO SAVEPOINT fuzz_call')
        cursor.execute('RELEASE SAVEPOINT fuzz_call')
        reset_caches()
        if refused is None:
            return None
        test.assertEqual(snapshot(self.watched), before,
            "a refused call saved something: %s" % message(refused))
        if (name and check_label and name in Model._fields
                and not is_access_refusal(refused)):
            text = message(refused)
            # in the language of the user
            with self.as_user(), without_check_access():
                names = labels(Model, name)
            if backend.name != 'sqlite':
                # Tryton explains an integrity error in a new transaction,
                # which does not see the translations the test loaded
                names |= labels(Model, name)
            test.assertTrue(any(l in text for l in names),
                "%r names no label of %r" % (text, name))
        return refused

    def sweep(self, Model, record_id):
        "Write each extreme value to a field of each kind of the record"
        for name in sweep_fields(Model):
            for value in EXTREMES:
                def call():
                    Model.write([Model(record_id)], {name: value})
                with self.testcase.subTest(
                        field=name, value=repr(value)[:40]):
                    self.call(call, Model, name, on_success=lambda r: (
                            self.check_stored(Model, [record_id], name)))

    def check_stored(self, Model, ids, name):
        "Check the stored value of the field is within its bounds"
        if name not in Model._fields or isinstance(
                Model._fields[name], (fields.Function, fields.One2Many,
                    fields.Many2Many)):
            # the ids of a relation are read, not the actions written
            return
        reset_caches()
        with without_check_access():
            for row in Model.read(ids, [name]):
                value = row[name]
                if isinstance(Model._fields[name], fields.Boolean):
                    # SQLite returns integers
                    value = bool(value)
                try:
                    Model._check_client_value(name, value)
                except FieldValueError as exception:
                    self.testcase.fail("stored out of bounds: %s"
                        % message(exception))
