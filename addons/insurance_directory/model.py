# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import math
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Model, ModelSingleton, fields
from trytond.model.modelstorage import _record_eval_pyson
from trytond.pool import Pool
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)

from .exceptions import (
    AmountLimitError, FieldValueError, SingletonDeleteError,
    SystemFieldError)

# Plausible bounds of what a person types; models narrow them by rule
DATE_MIN = dt.date(1950, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
CHAR_SIZE = 1024
TEXT_SIZE = 32768
INTEGER_MAX = 2 ** 31 - 1
NUMERIC_INTEGER_DIGITS = 14
# decimals of a number whose digits depend on a record (a currency)
NUMERIC_DECIMAL_DIGITS = 16
X2MANY_ACTIONS = {'create', 'write', 'delete', 'add', 'remove', 'copy'}


class ServerReadonlyMixin:
    """Enforce on the server what the client shows as read-only

    Tryton evaluates ``readonly`` and ``states`` in the client only, and any
    user may call ``create`` and ``write`` over RPC with any values.  A call
    from outside (access checks on: RPC, not the model's own code, which
    runs buttons, wizards and hooks without them) may not:

    - set a field that is read-only in the definition (states, numbers,
      signatures, approved and paid amounts, dates set by buttons, links to
      invoices and rounds): they are the model's decisions; a create starts
      with their defaults, so in the initial state and without a number;
    - change a field whose ``states`` make it read-only on the record (an
      invoiced order's amount, a signed step's comment);
    - send a value of the wrong type or out of bounds (digits of a number,
      plausible dates, text sizes): the message names the field and nothing
      is saved.

    Settings singletons cannot be deleted.
    """
    __slots__ = ()

    @classmethod
    def _system_fields(cls):
        "The fields written only by the model's own code"
        return {name for name, field in cls._fields.items()
            if field.readonly is True
            and not isinstance(field, fields.Function)
            and name != 'id'}

    @classmethod
    def _computed_fields(cls):
        "The fields the model computes, which no value sets"
        return {name for name, field in cls._fields.items()
            if isinstance(field, fields.Function) and not field.setter}

    @classmethod
    def _external_call(cls):
        transaction = Transaction()
        return bool(transaction.user and transaction.check_access)

    @classmethod
    def create(cls, vlist):
        if cls._external_call():
            system = cls._system_fields()
            computed = cls._computed_fields()
            defaults = cls._system_defaults(system)
            for values in vlist:
                for name, value in values.items():
                    cls._check_client_value(name, value)
                    if name in computed or (name in system
                            and not _same(value, defaults.get(name))):
                        raise SystemFieldError(gettext(
                                'insurance_directory.msg_system_field_create',
                                **cls.__names__(field=name)))
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        if cls._external_call():
            actions = iter(args)
            for records, values in zip(actions, actions):
                for name, value in values.items():
                    cls._check_client_value(name, value)
                cls._check_client_readonly(records, values)
        super().write(*args)

    @classmethod
    def _check_client_readonly(cls, records, values):
        pool = Pool()
        User = pool.get('res.user')
        system = cls._system_fields()
        computed = cls._computed_fields()
        with without_check_access(), Transaction().set_context(
                groups=User.get_groups()):
            for name, value in values.items():
                field = cls._fields.get(name)
                if field is None:
                    continue
                if name in computed:
                    for record in records:
                        raise SystemFieldError(gettext(
                                'insurance_directory.msg_system_field_write',
                                **cls.__names__(field=name, record=record)))
                readonly = field.states.get('readonly')
                if name not in system and not readonly:
                    continue
                for record in records:
                    if _unchanged(record, name, field, value):
                        continue
                    if (name in system
                            or _record_eval_pyson(record, readonly)):
                        raise SystemFieldError(gettext(
                                'insurance_directory.msg_system_field_write',
                                **cls.__names__(field=name, record=record)))

    @classmethod
    def _system_defaults(cls, names):
        defaults = {}
        for name in names:
            if name in cls._defaults:
                defaults[name] = cls._defaults[name]()
        return defaults

    @classmethod
    def _check_client_value(cls, name, value):
        "Raise FieldValueError if the value does not fit the field"
        field = cls._fields.get(name) if isinstance(name, str) else None
        if field is None:
            raise FieldValueError(gettext(
                    'insurance_directory.msg_field_unknown',
                    field=_short(name), **cls.__names__()))
        if value is None:
            return
        names = cls.__names__(field=name)

        def invalid():
            return FieldValueError(gettext(
                    'insurance_directory.msg_field_value_type',
                    value=_short(value), **names))

        def out_of_range(minimum, maximum):
            return FieldValueError(gettext(
                    'insurance_directory.msg_field_value_range',
                    value=_short(value), minimum=minimum, maximum=maximum,
                    **names))

        if isinstance(field, fields.Function):
            return
        if isinstance(field, fields.Boolean):
            if not isinstance(value, bool):
                raise invalid()
        elif isinstance(field, fields.Char):
            if not _is_text(value):
                raise invalid()
            size = field.size if isinstance(field.size, int) else (
                TEXT_SIZE if isinstance(field, fields.Text) else CHAR_SIZE)
            if len(value) > size:
                raise FieldValueError(gettext(
                        'insurance_directory.msg_field_value_size',
                        size=len(value), max_size=size, **names))
        elif isinstance(field, fields.Selection):
            # its values are checked by Tryton's validation
            if not _is_text(value):
                raise invalid()
        elif isinstance(field, (fields.Numeric, fields.Float)):
            if isinstance(value, bool) or not isinstance(
                    value, (int, float, Decimal)):
                raise invalid()
            if isinstance(value, Decimal):
                finite = value.is_finite()
            else:
                finite = math.isfinite(value)
            if not finite:
                raise invalid()
            integer_digits = NUMERIC_INTEGER_DIGITS
            digits = getattr(field, 'digits', None)
            places = NUMERIC_DECIMAL_DIGITS if digits else None
            if isinstance(digits, tuple) and all(
                    isinstance(d, int) for d in digits):
                integer_digits = min(integer_digits, digits[0] - digits[1])
                places = digits[1]
            maximum = 10 ** integer_digits
            if abs(value) >= maximum:
                raise out_of_range(-maximum + 1, maximum - 1)
            # Tryton's validation of the digits fails on tiny numbers
            if places is not None and not (
                    value.as_tuple().exponent >= -places
                    if isinstance(value, Decimal)
                    else round(value, places) == value):
                raise FieldValueError(gettext(
                        'insurance_directory.msg_field_value_digits',
                        value=_short(value), digits=places, **names))
        elif isinstance(field, fields.Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise invalid()
            if abs(value) > INTEGER_MAX:
                raise out_of_range(-INTEGER_MAX, INTEGER_MAX)
        elif isinstance(field, fields.Many2One):
            if not _is_id(value):
                raise invalid()
        elif isinstance(field, fields.Timestamp):
            if not isinstance(value, dt.datetime) or value.tzinfo:
                raise invalid()
            if not (DATE_MIN <= value.date() <= DATE_MAX):
                raise out_of_range(DATE_MIN, DATE_MAX)
        elif isinstance(field, fields.Date):
            if (not isinstance(value, dt.date)
                    or isinstance(value, dt.datetime)):
                raise invalid()
            if not (DATE_MIN <= value <= DATE_MAX):
                raise out_of_range(DATE_MIN, DATE_MAX)
        elif isinstance(field, (fields.One2Many, fields.Many2Many)):
            cls._check_client_actions(name, field, value, invalid)
        elif isinstance(field, fields.Binary):
            if not isinstance(value, (bytes, bytearray, memoryview)):
                raise invalid()

    @classmethod
    def _check_client_actions(cls, name, field, value, invalid):
        "Check the actions on a One2Many or Many2Many as Tryton runs them"
        pool = Pool()
        if isinstance(field, fields.Many2Many):
            Target = field.get_target()
        else:
            Target = pool.get(field.model_name)

        def check_ids(ids):
            if (not isinstance(ids, (list, tuple))
                    or not all(_is_id(i) for i in ids)):
                raise invalid()
            return list(ids)

        def check_values(values, default=False):
            if not isinstance(values, dict):
                raise invalid()
            for key, val in values.items():
                if not isinstance(key, str) or key not in Target._fields:
                    raise invalid()
                if hasattr(Target, '_check_client_value') and not default:
                    Target._check_client_value(key, val)

        if not isinstance(value, (list, tuple)):
            raise invalid()
        ids = []
        for action in value:
            if (not isinstance(action, (list, tuple)) or not action
                    or not isinstance(action[0], str)
                    or action[0] not in X2MANY_ACTIONS):
                raise invalid()
            kind, args = action[0], action[1:]
            if kind == 'create':
                if (len(args) != 1
                        or not isinstance(args[0], (list, tuple))):
                    raise invalid()
                for values in args[0]:
                    check_values(values)
            elif kind == 'write':
                if not args or len(args) % 2:
                    raise invalid()
                for write_ids, values in zip(args[::2], args[1::2]):
                    ids += check_ids(write_ids)
                    check_values(values)
            elif kind == 'copy':
                if len(args) not in {1, 2}:
                    raise invalid()
                ids += check_ids(args[0])
                if len(args) == 2:
                    check_values(args[1], default=True)
            else:
                if len(args) != 1:
                    raise invalid()
                ids += check_ids(args[0])
        if ids:
            with without_check_access(), inactive_records():
                existing = {r.id for r in Target.search(
                        [('id', 'in', list(set(ids)))])}
            missing = sorted(set(ids) - existing)
            if missing:
                raise FieldValueError(gettext(
                        'insurance_directory.msg_field_value_missing',
                        ids=_short(', '.join(map(str, missing))),
                        **cls.__names__(field=name)))

    @classmethod
    def copy(cls, records, default=None):
        if issubclass(cls, ModelSingleton):
            # a copy of the settings writes them again
            return super().copy(records, default=default)
        default = default.copy() if default is not None else {}
        system = cls._system_fields()
        defaults = cls._system_defaults(system)
        for name in system:
            default.setdefault(name, defaults.get(name))
        return super().copy(records, default=default)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'delete' and issubclass(cls, ModelSingleton):
            raise SingletonDeleteError(gettext(
                    'insurance_directory.msg_singleton_delete',
                    **cls.__names__()))


class AmountLimitMixin:
    """Settings with the maximum of the amounts people type

    The one home of the rule: each model checks its typed amounts with
    ``Configuration(1).check_maximum_amounts(records, names, field_names)``
    from its validation, for every caller.
    """
    __slots__ = ()
    maximum_amount = fields.Numeric(
        "Maximum Amount", digits=(16, 2), required=True,
        help="No amount that people type may exceed it.")

    @classmethod
    def default_maximum_amount(cls):
        return Decimal(1000000000)

    def check_amount(self, record, field_name):
        "Raise AmountLimitError if the amount of the field exceeds the maximum"
        value = getattr(record, field_name)
        maximum = self.maximum_amount
        if maximum is None:
            maximum = self.default_maximum_amount()
        if value is not None and abs(value) > maximum:
            raise AmountLimitError(gettext(
                    'insurance_directory.msg_amount_maximum',
                    maximum=maximum,
                    **record.__names__(field=field_name, record=record)))

    def check_maximum_amounts(self, records, names, field_names=None):
        "Check the amounts names of the records, those written if given"
        if field_names:
            names = [n for n in names if n in field_names]
        for record in records:
            for name in names:
                self.check_amount(record, name)


def _same(value, default):
    if value in (None, [], (), '') and default in (None, [], (), ''):
        return True
    return value == default


def _unchanged(record, name, field, value):
    if isinstance(field, (fields.One2Many, fields.Many2Many)):
        return not value
    current = getattr(record, name, None)
    if isinstance(current, Model):
        current = current.id
    if current in (None, '') and value in (None, ''):
        return True
    return _same(value, current)


def _is_text(value):
    "Tell if the value is a text a database stores"
    if not isinstance(value, str) or '\x00' in value:
        return False
    try:
        value.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def _is_id(value):
    "Tell if the value may be the id of a record"
    return (isinstance(value, int) and not isinstance(value, bool)
        and 0 < value <= INTEGER_MAX)


def _short(value):
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + '...'
