# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Fuzzing of what a client sends to the claims (Hypothesis)

As a claims user with access checks on, generated values of the wrong type,
extreme numbers, dates and texts go to ``create``, ``write`` and the buttons
of the claims, payment orders and work orders: each call succeeds within the
documented bounds or raises a UserError naming the field, and a refused call
saves nothing (see insurance_directory/tests/fuzz.py).
"""
import datetime as dt
import unittest
from contextlib import contextmanager
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.insurance_directory.tests.fuzz import (
    FUZZ, FUZZ_STEPS, Fuzzer, field_names, values)
from trytond.modules.insurance_directory.tests.tools import (
    load_translations, savepoint)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .test_settlement import (
    approved, create_order, create_payment, setup_accounting)
from .tools import (
    NOW, checked_as, create_claim, create_line, create_policy, create_region)

CLAIM_BUTTONS = [
    'register', 'cancel', 'request_approval', 'decline', 'close', 'reopen',
    'declare_total_loss', 'request_reserve_change']
PAYMENT_BUTTONS = ['request_approval', 'approve', 'cancel']
WORK_ORDER_BUTTONS = ['request_signature', 'accept', 'cancel']
# the messages are checked to name the field's label in the user's language
LANGUAGE = 'es'
WATCHED_MODELS = [
    'insurance.claim.reserve', 'insurance.claim.deadline',
    'insurance.claim.document', 'insurance.claim.approval',
    'insurance.work_order.line', 'account.invoice', 'res.notification']


def fixed_now(moment=NOW):
    return Transaction().set_context(_insurance_now=moment)


class ClaimsFuzzTestCase(unittest.TestCase):
    "Fuzz the claims, payment orders and work orders as a client"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('insurance_claims')

    def setup_office(self, accounting=False):
        "A company, a claims user, a draft and an open claim with orders"
        pool = Pool()
        Address = pool.get('party.address')
        Claim = pool.get('insurance.claim')
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')
        User = pool.get('res.user')
        company = create_company()
        with set_company(company), fixed_now():
            if accounting:
                setup_accounting(company)
            region = create_region('LPZ')
            other_region = create_region('SCZ')
            line = create_line()
            policy = create_policy(company, line, region)
            Address(party=policy.insured).save()
            draft = create_claim(policy, region)
            opened = create_claim(policy, region,
                damage_estimate=Decimal(5000))
            Claim.register([opened])
            workshop = Party(name="Taller", addresses=[{}])
            workshop.save()
            payment = create_payment(opened, conformity_on=NOW.date())
            order = create_order(opened, workshop)
            user = User(login='fuzz', name="Fuzz", companies=[company],
                company=company, insurance_regions=[region],
                groups=[ModelData.get_id('insurance_claims', g) for g in [
                        'group_claims_executive',
                        'group_claims_regional_head',
                        'group_claims_national_office']])
            user.save()
        ids = {
            'company.company': [company.id],
            'currency.currency': [company.currency.id],
            'insurance.region': [region.id, other_region.id],
            'insurance.line': [line.id],
            'insurance.policy': [policy.id],
            'insurance.policy.coverage': [c.id for c in policy.coverages],
            'party.party': [policy.insured.id, workshop.id],
            'insurance.claim': [draft.id, opened.id],
            'res.user': [user.id],
            'insurance.claim.payment': [payment.id],
            'insurance.work_order': [order.id],
            'insurance.work_order.line': [l.id for l in order.lines],
            }
        return {
            'company': company, 'user': user, 'policy': policy,
            'region': region, 'draft': draft, 'opened': opened,
            'payment': payment, 'order': order, 'workshop': workshop,
            'ids': ids,
            }

    @staticmethod
    def as_user(env, language=None):
        "Requests of the claims user, in the language"
        @contextmanager
        def requests():
            context = {'language': language} if language else {}
            with checked_as(env['user'], env['company']), \
                    Transaction().set_context(**context):
                yield
        return requests

    def claim_values(self, env):
        policy = env['policy']
        return {
            'company': env['company'].id,
            'policy': policy.id,
            'line': policy.line.id,
            'insured': policy.insured.id,
            'occurrence_region': env['region'].id,
            'currency': policy.currency.id,
            'channel': 'phone',
            'reporter_name': "Ana",
            'reporter_phone': "+591 700 00000",
            'description': "Rear collision at a crossing",
            'insured_object': policy.insured_object,
            'coverages': [('add', [c.id for c in policy.coverages])],
            'notified_at': NOW - dt.timedelta(hours=2),
            'occurred_at': NOW - dt.timedelta(days=1),
            }

    def fuzz_create_write(self, env, model, create_values, records,
            watched_ids):
        "Fuzz create and write of one field of the model at a time"
        Model = Pool().get(model)
        fuzzer = Fuzzer(self, self.as_user(env, LANGUAGE),
            [(model, watched_ids)] + [(m, []) for m in WATCHED_MODELS])

        @FUZZ
        @given(st.data())
        def run(data):
            name = data.draw(field_names(Model), label='field')
            value = data.draw(values(Model, name, env['ids']), label='value')
            if data.draw(st.booleans(), label='create'):
                vals = dict(create_values, **{name: value})

                def call():
                    return Model.create([vals])

                def stored(records):
                    fuzzer.check_stored(Model, [r.id for r in records], name)
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
    def test_claim_create_write(self):
        "Create and write claims with generated values"
        env = self.setup_office()
        load_translations(LANGUAGE,
            ['ir', 'insurance_directory', 'insurance_claims'])
        with set_company(env['company']), fixed_now():
            records = [env['draft'].id, env['opened'].id]
            self.fuzz_create_write(env, 'insurance.claim',
                self.claim_values(env), records, records)

    @with_transaction()
    def test_payment_create_write(self):
        "Create and write payment orders with generated values"
        env = self.setup_office()
        load_translations(LANGUAGE,
            ['ir', 'insurance_directory', 'insurance_claims'])
        with set_company(env['company']), fixed_now():
            opened = env['opened']
            create_values = {
                'company': env['company'].id, 'claim': opened.id,
                'kind': 'final', 'payee': opened.insured.id,
                'amount': Decimal(1000), 'conformity_on': NOW.date(),
                }
            self.fuzz_create_write(env, 'insurance.claim.payment',
                create_values, [env['payment'].id], [env['payment'].id])

    @with_transaction()
    def test_work_order_create_write(self):
        "Create and write work orders and their lines with generated values"
        env = self.setup_office()
        load_translations(LANGUAGE,
            ['ir', 'insurance_directory', 'insurance_claims'])
        with set_company(env['company']), fixed_now():
            order = env['order']
            create_values = {
                'company': env['company'].id, 'claim': env['opened'].id,
                'kind': 'repair', 'supplier': env['workshop'].id,
                'lines': [('create', [{'description': "Bumper",
                                'quantity': Decimal(1),
                                'unit_price': Decimal(500)}])],
                }
            self.fuzz_create_write(env, 'insurance.work_order',
                create_values, [order.id], [order.id])
            line_values = {
                'order': order.id, 'description': "Paint",
                'quantity': Decimal(2), 'unit_price': Decimal(100),
                }
            lines = [l.id for l in order.lines]
            self.fuzz_create_write(env, 'insurance.work_order.line',
                line_values, lines, lines)

    @with_transaction()
    def test_buttons(self):
        "Buttons after generated writes: they act or refuse cleanly"
        pool = Pool()
        env = self.setup_office(accounting=True)
        records = {
            'insurance.claim': [env['draft'].id, env['opened'].id],
            'insurance.claim.payment': [env['payment'].id],
            'insurance.work_order': [env['order'].id],
            }
        buttons = {
            'insurance.claim': CLAIM_BUTTONS,
            'insurance.claim.payment': PAYMENT_BUTTONS,
            'insurance.work_order': WORK_ORDER_BUTTONS,
            }
        watched = [(m, ids) for m, ids in records.items()] + [
            (m, []) for m in WATCHED_MODELS]
        fuzzer = Fuzzer(self, self.as_user(env), watched)

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

        with set_company(env['company']), fixed_now(), \
                approved(Decimal(6000)):
            @FUZZ_STEPS
            @given(st.data())
            def run(data):
                with savepoint('example'):
                    steps(data)
            run()
        fuzzer.print_outcomes('buttons')
