# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
import json
from functools import wraps

from sql import Column

from trytond.i18n import gettext
from trytond.model import Index, Workflow, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import WrongStateError


def transition(state):
    "Like Workflow.transition but refuse records in a wrong state"
    def decorator(func):
        wrapped = Workflow.transition(state)(func)

        @wraps(func)
        def wrapper(cls, records, *args, **kwargs):
            check_transition(cls, records, state)
            return wrapped(cls, records, *args, **kwargs)
        return wrapper
    return decorator


class RelationIndexMixin:
    """Index each side of a many-to-many relation table

    Tryton indexes the Many2One of a One2Many, not the columns of a
    relation table, which are read by the id of either side."""
    __slots__ = ()

    @classmethod
    def __setup_indexes__(cls):
        super().__setup_indexes__()
        table = cls.__table__()
        for name, field in cls._fields.items():
            if (isinstance(field, fields.Many2One)
                    and name not in {'create_uid', 'write_uid'}):
                cls._sql_indexes.add(
                    Index(table, (Column(table, name), Index.Equality())))


def clear_cache(Model, ids=None):
    """Forget what the transaction cached of the records (all of them when
    ids is None) after they were written behind the ORM in SQL"""
    transaction = Transaction()
    transaction.counter += 1
    for cache in transaction.cache.values():
        if ids is None:
            cache.pop(Model.__name__, None)
        elif Model.__name__ in cache:
            for id_ in ids:
                cache[Model.__name__].pop(id_, None)


def selection_string(Model, name, value):
    "Return the translated label of a selection value"
    selection = Model.fields_get([name])[name]['selection']
    return dict(selection).get(value, value or '')


def check_transition(Model, records, state):
    field = Model._transition_state
    for record in records:
        current = getattr(record, field)
        if (current, state) not in Model._transitions:
            raise WrongStateError(gettext(
                    'insurance_claims.msg_wrong_state',
                    record=record.rec_name,
                    model=Model.__names__()['model'],
                    state=selection_string(Model, field, current),
                    target=selection_string(Model, field, state)))


def notify(users, label, description, records):
    "Leave a notification for each user about the records"
    pool = Pool()
    Notification = pool.get('res.notification')
    if not users or not records:
        return []
    model = records[0].__name__
    ids = json.dumps([r.id for r in records])
    notifications = [Notification(
            user=user, label=label, description=description,
            model=model, records=ids)
        for user in set(users)]
    Notification.save(notifications)
    return notifications


def now():
    "Return the current UTC time; tests may fix it in the context"
    return (Transaction().context.get('_insurance_now')
        or dt.datetime.now().replace(microsecond=0))
