# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Fuzzing of what a client sends to the dealer desk (Hypothesis)

As a staff user of the desk with access checks on, generated values of the
wrong type, extreme numbers, dates and texts go to ``create``, ``write`` and
the buttons of the liquidation requests and endorsements: each call succeeds
within the documented bounds or raises a UserError naming the field, and a
refused call saves nothing (see insurance_directory/tests/fuzz.py).
"""
import unittest
from contextlib import contextmanager
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from trytond.modules.company.tests import set_company
from trytond.modules.insurance_directory.tests.fuzz import (
    FUZZ, FUZZ_STEPS, Fuzzer, field_names, values)
from trytond.modules.insurance_directory.tests.tools import (
    load_translations, savepoint)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import create_liquidation, setup_office

LIQUIDATION_BUTTONS = [
    'register', 'request_payment', 'cancel_insurance', 'request_invoice',
    'deliver_invoice', 'done', 'cancel', 'waive_interest']
ENDORSEMENT_BUTTONS = ['submit', 'approve', 'reject', 'draft']
# the messages are checked to name the field's label in the user's language
LANGUAGE = 'es'
WATCHED_MODELS = [
    'distributor.liquidation.document', 'distributor.liquidation.task',
    'distributor.endorsement.attachment', 'account.invoice']


class LiquidationFuzzTestCase(unittest.TestCase):
    "Fuzz the liquidation requests and endorsements as a client"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('distributor_liquidation')

    def setup_desk(self, accounting=False):
        "The office, a staff user, a draft and a registered request"
        pool = Pool()
        Endorsement = pool.get('distributor.endorsement')
        Liquidation = pool.get('distributor.liquidation')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        company, plan = setup_office(accounting=accounting)
        with set_company(company):
            draft = create_liquidation(plan, agreed_amount=Decimal(98000))
            registered = create_liquidation(plan,
                agreed_amount=Decimal(98000),
                interest_waiver_amount=Decimal(1200))
            Liquidation.register([registered])
            endorsement, = Endorsement.create([{
                        'plan': plan.id, 'agency': plan.distributor.id,
                        'kind': 'data_correction',
                        'correction_subject': 'customer',
                        'current_value': "Jon", 'new_value': "John",
                        'reason': "Typo",
                        }])
            user = User(login='fuzz', name="Fuzz", companies=[company],
                company=company,
                groups=[ModelData.get_id('distributor_liquidation', g)
                    for g in ['group_distributor',
                        'group_distributor_manager']])
            user.save()
        ids = {
            'company.company': [company.id],
            'currency.currency': [company.currency.id],
            'distributor.plan': [plan.id],
            'party.party': [plan.customer.id, plan.distributor.id],
            'distributor.liquidation': [draft.id, registered.id],
            'distributor.liquidation.document': [
                d.id for d in registered.documents],
            'distributor.endorsement': [endorsement.id],
            'insurance.department': [registered.routing_department.id],
            'res.user': [user.id],
            }
        return {
            'company': company, 'plan': plan, 'user': user, 'draft': draft,
            'registered': registered, 'endorsement': endorsement,
            'ids': ids,
            }

    @staticmethod
    def as_user(env, language=None):
        "Requests of the staff user, in the language"
        @contextmanager
        def checked():
            transaction = Transaction()
            context = {'language': language} if language else {}
            with transaction.set_user(env['user'].id), \
                    transaction.set_context(_check_access=True,
                        company=env['company'].id,
                        companies=[env['company'].id], **context):
                yield
        return checked

    def fuzz_create_write(self, env, model, create_values, records):
        "Fuzz create and write of one field of the model at a time"
        Model = Pool().get(model)
        fuzzer = Fuzzer(self, self.as_user(env, LANGUAGE),
            [(model, records)] + [(m, []) for m in WATCHED_MODELS])

        @FUZZ
        @given(st.data())
        def run(data):
            name = data.draw(field_names(Model), label='field')
            value = data.draw(values(Model, name, env['ids']), label='value')
            if data.draw(st.booleans(), label='create'):
                vals = dict(create_values, **{name: value})

                def call():
                    return Model.create([vals])

                def stored(result):
                    fuzzer.check_stored(Model, [r.id for r in result], name)
            else:
                record = data.draw(st.sampled_from(records), label='record')

                def call():
                    Model.write([Model(record)], {name: value})

                def stored(result):
                    fuzzer.check_stored(Model, [record], name)
            fuzzer.call(call, Model, name, on_success=stored)
        fuzzer.sweep(Model, records[0])
        run()
        fuzzer.print_outcomes(model)

    @with_transaction()
    def test_liquidation_create_write(self):
        "Create and write liquidation requests with generated values"
        env = self.setup_desk()
        plan = env['plan']
        load_translations(LANGUAGE,
            ['ir', 'insurance_directory', 'distributor_liquidation'])
        with set_company(env['company']):
            create_values = {
                'company': env['company'].id, 'plan': plan.id,
                'customer': plan.customer.id,
                'distributor': plan.distributor.id,
                'currency': plan.currency.id,
                'agreed_amount': Decimal(98000),
                }
            self.fuzz_create_write(env, 'distributor.liquidation',
                create_values, [env['draft'].id, env['registered'].id])

    @with_transaction()
    def test_endorsement_create_write(self):
        "Create and write endorsements with generated values"
        env = self.setup_desk()
        plan = env['plan']
        load_translations(LANGUAGE,
            ['ir', 'insurance_directory', 'distributor_liquidation'])
        with set_company(env['company']):
            create_values = {
                'company': env['company'].id, 'plan': plan.id,
                'agency': plan.distributor.id, 'kind': 'other',
                'reason': "Tow bar",
                }
            self.fuzz_create_write(env, 'distributor.endorsement',
                create_values, [env['endorsement'].id])

    @with_transaction()
    def test_buttons(self):
        "Buttons after generated writes: they act or refuse cleanly"
        pool = Pool()
        env = self.setup_desk(accounting=True)
        records = {
            'distributor.liquidation': [
                env['draft'].id, env['registered'].id],
            'distributor.endorsement': [env['endorsement'].id],
            }
        buttons = {
            'distributor.liquidation': LIQUIDATION_BUTTONS,
            'distributor.endorsement': ENDORSEMENT_BUTTONS,
            }
        fuzzer = Fuzzer(self, self.as_user(env),
            [(m, ids) for m, ids in records.items()]
            + [(m, []) for m in WATCHED_MODELS])

        def steps(data):
            for _ in range(data.draw(
                        st.integers(min_value=1, max_value=4),
                        label='steps')):
                model = data.draw(st.sampled_from(sorted(records)),
                    label='model')
                Model = pool.get(model)
                record = data.draw(
                    st.sampled_from(records[model]), label='record')
                if data.draw(st.booleans(), label='button'):
                    button = data.draw(
                        st.sampled_from(buttons[model]), label='name')
                    ids = data.draw(st.sampled_from(
                            [[record], [], [10 ** 9]]), label='ids')
                    fuzzer.call(lambda: getattr(Model, button)(
                            Model.browse(ids)), keep=True)
                else:
                    name = data.draw(field_names(Model),
                        label='field')
                    value = data.draw(
                        values(Model, name, env['ids']), label='value')
                    fuzzer.call(
                        lambda: Model.write([Model(record)], {name: value}),
                        Model, name, keep=True)

        with set_company(env['company']):
            @FUZZ_STEPS
            @given(st.data())
            def run(data):
                with savepoint('example'):
                    steps(data)
            run()
        fuzzer.print_outcomes('buttons')
