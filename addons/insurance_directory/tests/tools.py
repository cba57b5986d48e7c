# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import os
from contextlib import contextmanager
from importlib import import_module

from sql import Literal

from trytond.pool import Pool
from trytond.transaction import Transaction


def backdate_history(Model, record, delta):
    """Move the revisions of the record back by delta; return their time

    PostgreSQL stamps every row of a transaction with its start, so two
    revisions written by one test transaction would share their time."""
    history = Model.__table_history__()
    table = Model.__table__()
    cursor = Transaction().connection.cursor()
    when = record.create_date - delta
    for sql_table in [table, history]:
        cursor.execute(*sql_table.update(
                [sql_table.create_date, sql_table.write_date],
                [Literal(when), Literal(None)],
                where=sql_table.id == record.id))
    return when


def reset_caches():
    "Forget what the transaction cached of the records"
    transaction = Transaction()
    for cache in transaction.cache.values():
        cache.clear()
    transaction.counter += 1
    transaction._clear_log_records()
    transaction._clear_user_notifications()
    transaction._clear_warnings()


@contextmanager
def savepoint(name='test', keep=False):
    """Undo what the block writes, as the dispatcher rolls back a call
    that raised; with keep, only when the block raises"""
    cursor = Transaction().connection.cursor()
    cursor.execute('SAVEPOINT "%s"' % name)
    try:
        yield
    except BaseException:
        keep = False
        raise
    finally:
        if not keep:
            cursor.execute('ROLLBACK TO SAVEPOINT "%s"' % name)
        cursor.execute('RELEASE SAVEPOINT "%s"' % name)
        reset_caches()


def load_translations(language, modules):
    "Load the translations of the modules into a test database"
    pool = Pool()
    Lang = pool.get('ir.lang')
    Translation = pool.get('ir.translation')
    Lang.write(Lang.search([('code', '=', language)]), {
            'translatable': True})
    for module in modules:
        package = import_module(
            'trytond.%s' % module if module in {'ir', 'res'}
            else 'trytond.modules.%s' % module)
        path = os.path.join(os.path.dirname(package.__file__), 'locale',
            '%s.po' % language)
        Translation.translation_import(language, module, path)
