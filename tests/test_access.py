"""The access matrix of the three modules, checked the way a client's call is.

A hand-written table states, for every model of the three modules and every
group (plus a user without group), who may read, create, write and delete
it and click each of its buttons.  Each cell is checked as a user of that
group, both at the model level (ir.model.access, ir.model.button) and with a
real call through trytond's RPC conversion with the context a hostile client
sends (its user, groups, companies and private keys are not trusted).  Then
the decision fields: every read-only stored field is refused on create and
on write over that path (SystemFieldError), and the record rules do not
follow the context.

The table is the intended access: where the XML granted more (a dealer
writing its plan's arrears, anybody deleting the settings), the XML was
fixed.  A model, a group or a button missing from the table fails the test.
"""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.exceptions import TrytonException
from trytond.model import ModelStorage, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.model.modelview import AccessButtonError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .runner import MODULES

# The columns: a user in this group only (Tryton adds the parent groups)
GROUPS = {
    'nobody': None,
    'directory': 'insurance_directory.group_directory_reader',
    'directory_admin': 'insurance_directory.group_directory_admin',
    'executive': 'insurance_claims.group_claims_executive',
    'regional_head': 'insurance_claims.group_claims_regional_head',
    'deputy_manager': 'insurance_claims.group_claims_deputy_manager',
    'technical_manager': 'insurance_claims.group_claims_technical_manager',
    'general_manager': 'insurance_claims.group_claims_general_manager',
    'national_office': 'insurance_claims.group_claims_national_office',
    'reinsurance': 'insurance_claims.group_claims_reinsurance',
    'claims_admin': 'insurance_claims.group_claims_admin',
    'desk': 'distributor_liquidation.group_distributor',
    'desk_admin': 'distributor_liquidation.group_distributor_admin',
    'desk_manager': 'distributor_liquidation.group_distributor_manager',
    'desk_accounting': 'distributor_liquidation.group_distributor_account',
    'dealer': 'distributor_liquidation.group_dealer',
    # accounting's own group, which the claims modules grant reading
    'accounting': 'account.group_account',
    }

NOBODY = frozenset()
EVERYBODY = frozenset(GROUPS)
DIRECTORY = frozenset({'directory', 'directory_admin'})
DIRECTORY_ADMIN = frozenset({'directory_admin'})
# Claims Executive and the groups under it
EXECUTIVES = frozenset({
        'executive', 'regional_head', 'deputy_manager', 'technical_manager',
        'general_manager', 'national_office', 'claims_admin'})
HEADS = frozenset({
        'regional_head', 'deputy_manager', 'technical_manager',
        'general_manager'})
NATIONAL = frozenset({'national_office'})
CLAIMS_ADMIN = frozenset({'claims_admin'})
REINSURANCE = frozenset({'reinsurance'})
ACCOUNTING = frozenset({'accounting'})
DESK = frozenset({'desk', 'desk_admin', 'desk_manager', 'desk_accounting'})
DESK_ADMIN = frozenset({'desk_admin'})
DESK_MANAGER = frozenset({'desk_manager'})
DEALER = frozenset({'dealer'})

# Not callable over RPC (ModelSQL without ModelView): the many-to-many
# tables, written only through their parent's field and its access
RELATION = 'relation'
# table_query report models: read only, for everybody
REPORT = 'report'


def access(read, write=NOBODY, create=NOBODY, delete=NOBODY):
    return {'read': read, 'write': write, 'create': create, 'delete': delete}


REFERENCE = access(
    EXECUTIVES | REINSURANCE, CLAIMS_ADMIN, CLAIMS_ADMIN, CLAIMS_ADMIN)
DIRECTORY_DATA = access(
    DIRECTORY | DESK | DEALER,
    DIRECTORY_ADMIN, DIRECTORY_ADMIN, DIRECTORY_ADMIN)
# the claim and its parts (their access follows the claim: __access__)
CLAIM_READERS = EXECUTIVES | REINSURANCE | ACCOUNTING
CLAIM_PART = access(CLAIM_READERS, EXECUTIVES, EXECUTIVES, CLAIMS_ADMIN)
CLAIM_LINE = access(CLAIM_READERS, EXECUTIVES, EXECUTIVES, EXECUTIVES)
REPORT_READERS = EXECUTIVES | REINSURANCE

ACCESS = {
    # insurance_directory
    'insurance.region': access(
        EVERYBODY, DIRECTORY_ADMIN, DIRECTORY_ADMIN, DIRECTORY_ADMIN),
    'insurance.department': DIRECTORY_DATA,
    'insurance.department.function': DIRECTORY_DATA,
    'insurance.department.contact': DIRECTORY_DATA,
    'insurance.department.requirement': DIRECTORY_DATA,
    # insurance_claims: settings and reference data
    'insurance.configuration': access(
        # a singleton: create writes it; nobody deletes it
        EXECUTIVES | REINSURANCE, CLAIMS_ADMIN, CLAIMS_ADMIN, NOBODY),
    'insurance.line': REFERENCE,
    'insurance.line.requirement': access(
        EXECUTIVES, CLAIMS_ADMIN, CLAIMS_ADMIN, CLAIMS_ADMIN),
    'insurance.policy': REFERENCE,
    'insurance.policy.coverage': REFERENCE,
    'insurance.adjuster': REFERENCE,
    'insurance.approval.level': REFERENCE,
    'insurance.approval.delegation': access(
        EXECUTIVES, CLAIMS_ADMIN, CLAIMS_ADMIN, CLAIMS_ADMIN),
    # the claim: deletion of a registered claim is refused by its code
    'insurance.claim': CLAIM_PART,
    # Rounds and steps follow the claim's access (the engine writes them in
    # the signer's call); every field of a round is a decision field, the
    # code refuses any change outside the engine and every deletion.
    'insurance.claim.approval': CLAIM_PART,
    'insurance.claim.approval.step': CLAIM_PART,
    'insurance.claim.complaint': CLAIM_PART,
    # deadlines: every field is a decision field (set by the events)
    'insurance.claim.deadline': CLAIM_PART,
    'insurance.claim.document': CLAIM_PART,
    'insurance.claim.document.request': CLAIM_LINE,
    'insurance.claim.expert': CLAIM_LINE,
    'insurance.claim.payment': CLAIM_PART,
    'insurance.claim.recovery': CLAIM_PART,
    'insurance.claim.reopen': CLAIM_PART,
    'insurance.claim.reserve': CLAIM_PART,
    'insurance.work_order': CLAIM_PART,
    'insurance.work_order.line': CLAIM_LINE,
    'insurance.claim.daily': REPORT,
    'insurance.claim.reserve_movement': REPORT,
    'insurance.claim.large_payment': REPORT,
    'insurance.claim.commercial_payment': REPORT,
    'insurance.claim.total_loss': REPORT,
    'insurance.claim.sla': REPORT,
    'res.user-insurance.region': RELATION,
    'insurance.adjuster-insurance.line': RELATION,
    'insurance.adjuster-insurance.region': RELATION,
    'insurance.claim-insurance.policy.coverage': RELATION,
    'insurance.claim.document.request-insurance.claim.document': RELATION,
    'insurance.claim.expert-insurance.adjuster': RELATION,
    # distributor_liquidation
    'distributor.configuration': access(
        DESK | DEALER, DESK_ADMIN, NOBODY, NOBODY),
    # the dealer reads its plans: arrears and balance are the desk's
    'distributor.plan': access(DESK | DEALER, DESK, DESK, DESK_ADMIN),
    'distributor.plan.balance_line': access(
        DESK | DEALER, DESK, DESK, DESK_ADMIN),
    'distributor.liquidation': access(
        DESK | DEALER, DESK | DEALER, DESK | DEALER, DESK_ADMIN),
    'distributor.liquidation.document': access(
        DESK | DEALER, DESK | DEALER, DESK | DEALER, DESK_ADMIN),
    # tasks follow the request; every field but the request is a decision
    'distributor.liquidation.task': access(
        DESK | DEALER, DESK | DEALER, DESK | DEALER, DESK_ADMIN),
    'distributor.endorsement': access(
        DESK | DEALER, DESK | DEALER, DESK | DEALER, DEALER),
    'distributor.endorsement.attachment': access(
        DESK | DEALER, DESK | DEALER, DESK | DEALER, DEALER),
    }

BUTTONS = {
    'insurance.claim': {
        'register': EXECUTIVES,
        'cancel': EXECUTIVES,
        'request_approval': EXECUTIVES,
        'decline': HEADS,
        'close': EXECUTIVES,
        'reopen': NATIONAL,
        'declare_total_loss': EXECUTIVES,
        'request_reserve_change': EXECUTIVES,
        'send_deductible_notice': EXECUTIVES,
        },
    'insurance.claim.approval': {
        'cancel': HEADS,
        },
    'insurance.claim.approval.step': {
        'sign': EXECUTIVES,
        'reject': EXECUTIVES,
        },
    'insurance.claim.complaint': {
        'forward': EXECUTIVES,
        'submit_response': EXECUTIVES,
        'send': EXECUTIVES,
        'approve_response': NATIONAL,
        'reject_response': NATIONAL,
        },
    'insurance.claim.document': {
        'receive': EXECUTIVES,
        'waive': EXECUTIVES,
        'reject': EXECUTIVES,
        },
    'insurance.claim.document.request': {
        'send': EXECUTIVES,
        'deliver': EXECUTIVES,
        'cancel': EXECUTIVES,
        },
    'insurance.claim.payment': {
        'request_approval': EXECUTIVES,
        'approve': EXECUTIVES,
        'cancel': EXECUTIVES,
        },
    'insurance.claim.recovery': {
        'start': EXECUTIVES,
        'recover': EXECUTIVES,
        'cancel': EXECUTIVES,
        },
    'insurance.claim.reopen': {
        'request': EXECUTIVES,
        'cancel': EXECUTIVES,
        'approve': NATIONAL,
        'refuse': NATIONAL,
        },
    'insurance.work_order': {
        'request_signature': EXECUTIVES,
        'accept': EXECUTIVES,
        'cancel': HEADS,
        },
    'distributor.endorsement': {
        'submit': DESK | DEALER,
        'draft': DESK | DEALER,
        'approve': DESK_MANAGER,
        'reject': DESK_MANAGER,
        },
    'distributor.liquidation': {
        'register': DESK | DEALER,
        'request_payment': DESK,
        'cancel_insurance': DESK,
        'request_invoice': DESK,
        'deliver_invoice': DESK,
        'done': DESK | DEALER,
        'cancel': DESK | DEALER,
        'waive_interest': DESK_MANAGER,
        },
    'distributor.liquidation.task': {
        'complete': DESK,
        },
    }

MODES = ['read', 'create', 'write', 'delete']
# the audit columns every model has; refused like the decision fields
AUDIT_FIELDS = {'create_uid', 'create_date', 'write_uid', 'write_date'}
NOW = dt.datetime(2026, 3, 10, 15, 0)


class Forbidden(AccessError):
    "The dispatcher answers 403: the method is not exposed over RPC"


def rpc_call(model, method, *args, context=None):
    """Call model.method the way trytond's dispatcher does for a client:
    the RPC conversion drops the context's private keys, sets the access
    checks and instantiates the records"""
    Model = Pool().get(model)
    if method not in Model.__rpc__:
        raise Forbidden("%s.%s is not exposed" % (model, method))
    rpc = Model.__rpc__[method]
    transaction = Transaction()
    c_args, c_kwargs, c_context, _ = rpc.convert(
        Model, *args, dict(context or {}))
    with transaction.reset_context(), transaction.set_context(c_context):
        return rpc.result(
            rpc.decorate(getattr(Model, method))(*c_args, **c_kwargs))


def hostile_context(company=None):
    "What sao sends, plus what a hostile client would like to be trusted"
    pool = Pool()
    Group = pool.get('res.group')
    Company = pool.get('company.company')
    companies = [c.id for c in Company.search([])]
    return {
        'language': 'en',
        'company': company.id if company else None,
        'companies': companies,
        'user': 0,
        'groups': [g.id for g in Group.search([])],
        'insurance_regions': [],
        'distributor': None,
        '_check_access': False,
        '_groups': [g.id for g in Group.search([])],
        '_companies': companies,
        '_insurance_now': NOW,
        }


def module_models():
    "The ModelStorage models registered by the three modules"
    pool = Pool()
    Model = pool.get('ir.model')
    names = []
    for model in Model.search([('module', 'in', MODULES)]):
        if issubclass(pool.get(model.name), ModelStorage):
            names.append(model.name)
    return sorted(names)


def is_report(Model):
    return callable(getattr(Model, 'table_query', None))


def group_id(xml_id):
    ModelData = Pool().get('ir.model.data')
    module, fs_id = xml_id.split('.')
    return ModelData.get_id(module, fs_id)


def create_user(login, keys, company=None, **values):
    "A user in the groups of the keys (only them and their parents)"
    User = Pool().get('res.user')
    groups = [group_id(GROUPS[k]) for k in keys if GROUPS[k]]
    if company:
        values.update({
                'company': company.id,
                'companies': [('add', [company.id])],
                })
    user, = User.create([{
                'login': login,
                'name': login,
                'groups': [('add', groups)],
                **values}])
    return user


def decision_fields(Model):
    "The read-only stored fields of the model: written by its code only"
    return sorted(name for name, field in Model._fields.items()
        if field.readonly is True and name != 'id'
        and not isinstance(field, fields.Function))


def selection_values(Model, field):
    selection = field.selection
    if isinstance(selection, str):
        selection = getattr(Model, selection)()
    return [v for v, _ in selection]


def other_value(Model, name, current=None):
    "A well-typed value for the field, other than current (and the default)"
    field = Model._fields[name]
    default = Model._defaults[name]() if name in Model._defaults else None
    taken = [current, default]
    if isinstance(field, fields.Boolean):
        return not (current or default)
    if isinstance(field, (fields.One2Many, fields.Many2Many)):
        return [('create', [{}])]
    if isinstance(field, fields.Reference):
        selection = [m for m in selection_values(Model, field) if m]
        return '%s,1' % selection[0]
    if isinstance(field, fields.MultiSelection):
        return tuple(selection_values(Model, field)[:1])
    if isinstance(field, fields.Selection):
        return [v for v in selection_values(Model, field)
            if v and v not in taken][0]
    if isinstance(field, fields.Many2One):
        ids = [getattr(v, 'id', v) for v in taken]
        return next(i for i in range(1, 100) if i not in ids)
    if isinstance(field, fields.Numeric):
        return next(v for v in [Decimal('12.34'), Decimal('56.78')]
            if v not in taken)
    if isinstance(field, fields.Float):
        return next(v for v in [12.5, 56.5] if v not in taken)
    if isinstance(field, fields.Integer):
        return next(v for v in [7, 8] if v not in taken)
    if isinstance(field, (fields.Timestamp, fields.DateTime)):
        return next(v for v in [
                dt.datetime(2026, 1, 2, 10, 0), dt.datetime(2026, 1, 3, 10)]
            if v not in taken)
    if isinstance(field, fields.Date):
        return next(v for v in [dt.date(2026, 1, 2), dt.date(2026, 1, 3)]
            if v not in taken)
    if isinstance(field, fields.TimeDelta):
        return next(v for v in [dt.timedelta(hours=1), dt.timedelta(hours=2)]
            if v not in taken)
    if isinstance(field, fields.Dict):
        return {'hostile': 1}
    if isinstance(field, fields.Binary):
        return b'hostile'
    if isinstance(field, fields.Char):
        return next(v for v in ["Hostile", "Hostile 2"] if v not in taken)
    raise NotImplementedError("%s.%s: %s" % (
            Model.__name__, name, field._type))


class AccessMatrixTestCase(unittest.TestCase):
    "Test the access matrix of the three modules over the checked path"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module(MODULES)

    @with_transaction()
    def test_table_complete(self):
        "Every model, group and button of the three modules is in the table"
        from trytond.modules.insurance_directory.model import (
            ServerReadonlyMixin)
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Button = pool.get('ir.model.button')

        models = module_models()
        self.assertEqual(set(models) - set(ACCESS), set(),
            "models missing from the access table")
        self.assertEqual(set(ACCESS) - set(models), set(),
            "models of the table not registered by the modules")

        for name in models:
            Model = pool.get(name)
            with self.subTest(model=name):
                if is_report(Model):
                    self.assertEqual(ACCESS[name], REPORT,
                        "a table_query model is a read-only report")
                    continue
                self.assertNotEqual(ACCESS[name], REPORT,
                    "only table_query models are reports")
                self.assertTrue(issubclass(Model, ServerReadonlyMixin),
                    "%s lacks ServerReadonlyMixin" % name)
                if ACCESS[name] == RELATION:
                    self.assertFalse(issubclass(Model, ModelView))
                else:
                    self.assertTrue(issubclass(Model, ModelView),
                        "only relations are out of RPC's reach")

        groups = {'%s.%s' % (d.module, d.fs_id) for d in ModelData.search([
                    ('model', '=', 'res.group'),
                    ('module', 'in', MODULES),
                    ])}
        self.assertEqual(groups - set(GROUPS.values()), set(),
            "groups missing from the access table")
        for key, xml_id in GROUPS.items():
            if xml_id:
                with self.subTest(group=key):
                    group_id(xml_id)

        buttons = {}
        for button in Button.search([('model.name', 'in', models)]):
            buttons.setdefault(button.model, set()).add(button.name)
        for name in models:
            Model = pool.get(name)
            declared = set(getattr(Model, '_buttons', {}))
            with self.subTest(model=name):
                self.assertEqual(declared, buttons.get(name, set()),
                    "every button has its ir.model.button")
                self.assertEqual(
                    set(BUTTONS.get(name, {})), declared,
                    "buttons missing from the table")

    @with_transaction()
    def test_matrix(self):
        "The access of a user of each group is the table's, cell by cell"
        pool = Pool()
        lock_singletons()
        users = {key: create_user('matrix_%s' % key, [key])
            for key in GROUPS}
        context = hostile_context()
        cursor = Transaction().connection.cursor()
        for key, user in users.items():
            for name in module_models():
                if hasattr(pool.get(name), 'get_singleton'):
                    # as before any call: a write or a button may create it
                    cursor.execute(*pool.get(name).__table__().delete())
            with self.subTest(group=GROUPS[key] or "no group"):
                errors = self.check_group(key, user, context)
                self.assertEqual(errors, [],
                    "%s: %s cells differ from the table" % (
                        key, len(errors)))

    def check_group(self, key, user, context):
        "Return the cells where the user's access differs from the table"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        Button = pool.get('ir.model.button')
        User = pool.get('res.user')
        transaction = Transaction()
        errors = []

        def expect(cell, allowed, model_allowed, call):
            if model_allowed != allowed:
                errors.append("%s: model access says %s" % (
                        cell, 'allowed' if model_allowed else 'refused'))
            try:
                call()
            except (AccessError, AccessButtonError) as exception:
                if allowed:
                    errors.append("%s: refused: %s" % (cell, exception))
                return
            except TrytonException:
                # past the access checks, stopped by the model's own rules
                pass
            if not allowed:
                errors.append("%s: the call was not refused" % cell)

        with transaction.set_user(user.id), \
                transaction.set_context(_check_access=True):
            groups = set(User.get_groups())
            for name in module_models():
                Model = pool.get(name)
                intended = ACCESS[name]
                if intended == RELATION:
                    for method in ['read', 'create', 'write', 'delete']:
                        with self.assertRaises(Forbidden):
                            rpc_call(name, method, [], context=context)
                    continue
                if intended == REPORT:
                    intended = access(REPORT_READERS)
                for mode in MODES:
                    allowed = key in intended[mode]
                    model_allowed = ModelAccess.check(
                        name, mode, raise_exception=False)
                    if is_report(Model):
                        if mode == 'read':
                            args = ([], ['id'])
                        else:
                            # no create/write/delete on a table_query
                            if model_allowed != allowed:
                                errors.append("%s.%s: model access" % (
                                        name, mode))
                            continue
                    elif hasattr(Model, 'get_singleton'):
                        # a singleton reads, writes and deletes its record,
                        # create creates it
                        args = {
                            'read': ([1], ['id']),
                            'create': ([{}],),
                            'write': ([1], {}),
                            'delete': ([1],),
                            }[mode]
                    else:
                        args = {
                            'read': ([], ['id']),
                            'create': ([],),
                            'write': ([], {}),
                            'delete': ([],),
                            }[mode]
                    expect('%s.%s' % (name, mode), allowed, model_allowed,
                        lambda: rpc_call(name, mode, *args, context=context))
                for button, intended in BUTTONS.get(name, {}).items():
                    allowed = key in intended
                    button_groups = Button.get_groups(name, button)
                    model_allowed = (
                        ModelAccess.check(name, 'read', raise_exception=False)
                        and (bool(groups & button_groups) if button_groups
                            else ModelAccess.check(
                                name, 'write', raise_exception=False)))
                    expect('%s.%s()' % (name, button), allowed,
                        model_allowed,
                        lambda: rpc_call(name, button, [], context=context))
        return errors

    @with_transaction()
    def test_decision_fields_create(self):
        "No client creates a record with a decision field set"
        from trytond.modules.insurance_directory.exceptions import (
            SystemFieldError)
        pool = Pool()
        transaction = Transaction()
        # in every group: the model access lets it create
        user = create_user('matrix_all', list(GROUPS))
        context = hostile_context()
        count = 0
        with transaction.set_user(user.id), \
                transaction.set_context(_check_access=True):
            for name in module_models():
                Model = pool.get(name)
                if ACCESS[name] in (RELATION, REPORT):
                    continue
                for field in decision_fields(Model):
                    value = other_value(Model, field)
                    with self.subTest(model=name, field=field), \
                            self.assertRaises(SystemFieldError):
                        rpc_call(name, 'create', [{field: value}],
                            context=context)
                    count += 1
        self.assertGreater(count, 150)

    @with_transaction()
    def test_decision_fields_write(self):
        "No client writes a decision field of a record it may write"
        from trytond.modules.insurance_directory.exceptions import (
            SystemFieldError)
        pool = Pool()
        transaction = Transaction()
        company, records, _ = setup_records()
        claims_admin = create_user('matrix_claims_admin', ['claims_admin'],
            company)
        desk = create_user('matrix_desk', ['desk'], company)
        self.assertEqual(
            {n for n in ACCESS if ACCESS[n] not in (RELATION, REPORT)
                and set(decision_fields(pool.get(n))) - AUDIT_FIELDS}
            - set(records), set(), "a record for each model with decisions")
        count = 0
        for name, record in sorted(records.items()):
            Model = pool.get(name)
            user = desk if name.startswith('distributor.') else claims_admin
            context = hostile_context(company=company)
            with transaction.set_user(user.id), \
                    transaction.set_context(
                        _check_access=True, company=company.id):
                # the user passes the access checks of the record (the code
                # of some models refuses any write from outside): the field
                # is what is refused
                try:
                    rpc_call(name, 'write', [record.id], {}, context=context)
                except AccessError:
                    raise
                except TrytonException:
                    pass
                for field in decision_fields(Model):
                    with transaction.set_context(_check_access=False):
                        current = getattr(Model(record.id), field)
                    value = other_value(
                        Model, field, getattr(current, 'id', current))
                    with self.subTest(model=name, field=field), \
                            self.assertRaises(SystemFieldError):
                        rpc_call(name, 'write', [record.id], {field: value},
                            context=context)
                    count += 1
        self.assertGreater(count, 100)

    @with_transaction()
    def test_context_not_trusted(self):
        "The rules follow the user, not the context the client sends"
        pool = Pool()
        Company = pool.get('company.company')
        Region = pool.get('insurance.region')
        transaction = Transaction()
        company, records, other_dealer = setup_records(settlement=False)
        claim = records['insurance.claim']
        plan = records['distributor.plan']
        from trytond.modules.company.tests import create_company
        other_company = create_company("Other Company")
        other_region, = Region.create([{
                    'name': "Other", 'code': 'OTH', 'kind': 'regional'}])
        executive = create_user('matrix_exec', ['executive'], company,
            insurance_regions=[('add', [other_region.id])])
        dealer = create_user('matrix_dealer', ['dealer'], company,
            distributor=other_dealer.id)
        stranger = create_user('matrix_stranger', ['claims_admin'],
            other_company)
        self.assertEqual(len(Company.search([])), 2)

        context = hostile_context(company=company)
        context.update({
                'insurance_regions': [claim.occurrence_region.id],
                'distributor': plan.distributor.id,
                })
        with transaction.set_user(executive.id):
            self.assertEqual(rpc_call('insurance.claim', 'search',
                    [('id', '=', claim.id)], context=context), [])
            with self.assertRaises(AccessError):
                rpc_call('insurance.claim', 'read', [claim.id], ['number'],
                    context=context)
            with self.assertRaises(AccessError):
                rpc_call('insurance.configuration', 'write', [1],
                    {'max_complementary_requests': 9}, context=context)
        with transaction.set_user(dealer.id):
            self.assertEqual(rpc_call('distributor.plan', 'search',
                    [('id', '=', plan.id)], context=context), [])
            with self.assertRaises(AccessError):
                rpc_call('distributor.plan', 'read', [plan.id],
                    ['arrears_amount'], context=context)
        with transaction.set_user(stranger.id):
            context['company'] = company.id
            self.assertEqual(rpc_call('insurance.claim', 'search',
                    [('id', '=', claim.id)], context=context), [])

    @with_transaction()
    def test_dealer_cannot_lower_arrears(self):
        "A dealer cannot set its plan's arrears or balance (95,200 stays)"
        pool = Pool()
        Plan = pool.get('distributor.plan')
        transaction = Transaction()
        company, records, _ = setup_records(claims=False)
        plan = records['distributor.plan']
        dealer = create_user('matrix_dealer', ['dealer'], company,
            distributor=plan.distributor.id)
        self.assertEqual(plan.quoted_amount, Decimal(95200))
        context = hostile_context(company=company)
        with transaction.set_user(dealer.id):
            # the dealer reads its plan
            read, = rpc_call('distributor.plan', 'read', [plan.id],
                ['arrears_amount'], context=context)
            self.assertEqual(read['arrears_amount'], Decimal(500))
            with self.assertRaises(AccessError):
                rpc_call('distributor.plan', 'write', [plan.id],
                    {'arrears_amount': Decimal(0)}, context=context)
            with self.assertRaises(AccessError):
                rpc_call('distributor.plan.balance_line', 'write',
                    [l.id for l in plan.balance_lines],
                    {'amount': Decimal(0)}, context=context)
            with self.assertRaises(AccessError):
                rpc_call('distributor.plan', 'write', [plan.id],
                    {'balance_lines': [
                            ('delete', [l.id for l in plan.balance_lines])]},
                    context=context)
            with self.assertRaises(AccessError):
                rpc_call('distributor.plan', 'create', [{
                            'group_code': '9999', 'member_code': '001',
                            'customer': plan.customer.id,
                            'distributor': plan.distributor.id}],
                    context=context)
        plan = Plan(plan.id)
        self.assertEqual(plan.quoted_amount, Decimal(95200))
        self.assertEqual(plan.arrears_amount, Decimal(500))


def lock_singletons():
    "Lock the settings' tables at once: creating a singleton locks it"
    pool = Pool()
    for name in module_models():
        if hasattr(pool.get(name), 'get_singleton'):
            # the first time, with_transaction starts again with the lock
            pool.get(name).lock()


def setup_records(claims=True, settlement=True):
    """One record of each model with decision fields, created by the
    models' own code (as root), in a company: a registered claim (and with
    settlement its parts and an approval round) and the dealer desk's"""
    from trytond.modules.company.tests import create_company, set_company
    lock_singletons()
    records = {}
    company = create_company()
    with set_company(company), Transaction().set_context(
            _insurance_now=NOW):
        if claims:
            records.update(setup_claims(company, settlement))
        other_dealer = setup_desk(records)
    return company, records, other_dealer


def setup_claims(company, settlement):
    from trytond.modules.insurance_claims.tests.tools import (
        create_claim, create_line, create_policy, create_region)
    pool = Pool()
    Party = pool.get('party.party')
    Rate = pool.get('currency.currency.rate')
    Configuration = pool.get('insurance.configuration')
    Claim = pool.get('insurance.claim')
    Complaint = pool.get('insurance.claim.complaint')
    Request = pool.get('insurance.claim.document.request')
    Payment = pool.get('insurance.claim.payment')
    Recovery = pool.get('insurance.claim.recovery')
    Reopen = pool.get('insurance.claim.reopen')
    WorkOrder = pool.get('insurance.work_order')

    Rate.create([{'currency': company.currency.id, 'rate': Decimal(1),
                'date': dt.date(2026, 1, 1)}])
    config = Configuration(1)
    config.approval_currency = company.currency
    config.save()
    region = create_region('MTX')
    line = create_line('MTX')
    policy = create_policy(company, line, region, number='POL-MTX')
    claim = create_claim(policy, region, damage_estimate=Decimal(5000))
    Claim.register([claim])
    records = {
        'insurance.claim': claim,
        'insurance.claim.deadline': claim.deadlines[0],
        'insurance.claim.reserve': claim.reserves[0],
        'insurance.claim.document': claim.documents[0],
        }
    if not settlement:
        return records

    workshop, = Party.create([{
                'name': "Workshop", 'addresses': [('create', [{}])]}])
    records['insurance.claim.document.request'], = Request.create([{
                'claim': claim.id}])
    records['insurance.claim.complaint'], = Complaint.create([{
                'claim': claim.id, 'reference': "APS-1",
                'received_on': dt.date(2026, 3, 10)}])
    records['insurance.claim.payment'], = Payment.create([{
                'claim': claim.id, 'kind': 'final',
                'amount': Decimal(1000), 'payee': claim.insured.id,
                'company': company.id}])
    records['insurance.claim.recovery'], = Recovery.create([{
                'claim': claim.id, 'kind': 'salvage',
                'counterparty': workshop.id,
                'expected_amount': Decimal(100)}])
    records['insurance.work_order'], = WorkOrder.create([{
                'claim': claim.id, 'supplier': workshop.id,
                'kind': 'repair', 'company': company.id,
                'lines': [('create', [{
                                'description': "Bumper",
                                'quantity': Decimal(1),
                                'unit_price': Decimal(500)}])]}])
    declined = create_claim(policy, region, damage_estimate=Decimal(900))
    Claim.register([declined])
    Claim.write([declined], {'decline_reason': "Not covered"})
    Claim.decline([declined])
    records['insurance.claim.reopen'], = Reopen.create([{
                'claim': declined.id, 'region': region.id,
                'request_date': dt.date(2026, 3, 10),
                'requested_reserve': Decimal(1000),
                'description': "Reopen", 'reason': "New invoice"}])
    Claim.request_approval([claim])
    approval, = Claim(claim.id).approvals
    records['insurance.claim.approval'] = approval
    records['insurance.claim.approval.step'] = approval.steps[0]
    return records


def setup_desk(records):
    "The desk's configuration, a plan, a request, a task, an endorsement"
    pool = Pool()
    Party = pool.get('party.party')
    Department = pool.get('insurance.department')
    Configuration = pool.get('distributor.configuration')
    Plan = pool.get('distributor.plan')
    Liquidation = pool.get('distributor.liquidation')
    Task = pool.get('distributor.liquidation.task')
    Endorsement = pool.get('distributor.endorsement')

    departments = Department.create([
            {'name': "Customer Service", 'code': 'MCA'},
            {'name': "Early Collection", 'code': 'MCOBT'},
            {'name': "Extrajudicial", 'code': 'MCOBEX'},
            ])
    config = Configuration(1)
    (config.customer_service_department,
        config.early_collection_department,
        config.extrajudicial_department) = departments
    config.save()
    dealer, other_dealer, customer = Party.create([
            {'name': "Dealer One"},
            {'name': "Dealer Two"},
            {'name': "Customer One", 'addresses': [('create', [{}])]},
            ])
    plan, = Plan.create([{
                'group_code': '1234', 'member_code': '056',
                'customer': customer.id, 'distributor': dealer.id,
                'insurance_frequency': 'monthly',
                'insurance_start_date': dt.date(2024, 1, 31),
                'arrears_amount': Decimal('500.00'),
                'balance_lines': [('create', [
                            {'concept': 'capital', 'amount': Decimal(90000)},
                            {'concept': 'auto_insurance',
                                'amount': Decimal(5200)},
                            {'concept': 'life_insurance',
                                'amount': Decimal(800)},
                            ])],
                }])
    records['distributor.plan'] = plan
    liquidation = Liquidation(plan=plan)
    liquidation.on_change_plan()
    liquidation.save()
    records['distributor.liquidation'] = liquidation
    records['distributor.liquidation.task'], = Task.create([{
                'liquidation': liquidation.id,
                'kind': 'plan_liquidation',
                'due': dt.date(2026, 3, 11)}])
    records['distributor.endorsement'], = Endorsement.create([{
                'plan': plan.id, 'agency': dealer.id,
                'kind': 'plan_cancellation'}])
    return other_dealer
