# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from decimal import Decimal

from sql.aggregate import Min

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.company import CompanyReport
from trytond.modules.insurance_directory.department import is_email
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .common import (
    RelationIndexMixin, clear_cache, notify, now, transition)
from .exceptions import (
    ClaimRegisterError, ClaimStateError, ClaimValidationError)
from .line import SCENARIOS

CHANNELS = [
    ('verbal', "Verbal"),
    ('phone', "Phone"),
    ('email', "E-Mail"),
    ('whatsapp', "WhatsApp"),
    ('call_center', "Call Center"),
    ('office', "Office"),
    ('app', "App"),
    ('agent', "Agent"),
    ]
STATES = [
    ('draft', "Draft"),
    ('open', "Open"),
    ('approval', "In Approval"),
    ('approved', "Approved"),
    ('declined', "Declined"),
    ('closed', "Closed"),
    ('cancelled', "Cancelled"),
    ]
_DRAFT = {'readonly': Eval('state') != 'draft'}
_ACTIVE = {'readonly': ~Eval('state').in_(['draft', 'open', 'approval'])}


class Claim(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'insurance.claim'
    _rec_name = 'number'
    _history = True
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_DRAFT)
    number = fields.Char("Number", readonly=True)
    policy = fields.Many2One(
        'insurance.policy', "Policy", required=True, states=_DRAFT,
        domain=[('company', '=', Eval('company', -1))])
    line = fields.Many2One(
        'insurance.line', "Line of Business", required=True, states=_DRAFT)
    insured = fields.Many2One('party.party', "Insured", states=_DRAFT)
    coverages = fields.Many2Many(
        'insurance.claim-insurance.policy.coverage', 'claim', 'coverage',
        "Affected Coverages", states=_DRAFT,
        domain=[('policy', '=', Eval('policy', -1))])
    channel = fields.Selection(
        CHANNELS, "Channel", required=True, sort=False, states=_DRAFT)
    reporter_name = fields.Char("Reporter Name", states=_DRAFT)
    reporter_phone = fields.Char("Reporter Phone", states=_ACTIVE)
    reporter_email = fields.Char("Reporter E-Mail", states=_ACTIVE)
    notified_at = fields.DateTime(
        "Notified at", required=True, states=_DRAFT,
        help="When the company learned of the loss.")
    occurred_at = fields.DateTime(
        "Occurred at", required=True, states=_DRAFT)
    description = fields.Text("Description", states=_ACTIVE)
    insured_object = fields.Text("Insured Object", states=_ACTIVE)
    location = fields.Char("Location", states=_ACTIVE)
    occurrence_region = fields.Many2One(
        'insurance.region', "Occurrence Region", required=True,
        states=_DRAFT,
        help="The region that handles the claim.")
    issuing_region = fields.Many2One(
        'insurance.region', "Issuing Region", readonly=True,
        help="The region that issued the policy; it is kept informed.")
    executive = fields.Many2One(
        'company.employee', "Executive", states=_ACTIVE,
        help="The claims executive in charge.")
    scenario = fields.Selection(
        [s for s in SCENARIOS if s[0] != 'any'], "Scenario", required=True,
        sort=False, states=_ACTIVE)
    theft = fields.Boolean("Theft", states=_DRAFT)
    damage_estimate = fields.Numeric(
        "Damage Estimate", digits=(16, 2), states=_ACTIVE,
        help="The handler's estimate of the loss; it moves the reserve.")
    estimate_known_on = fields.Date(
        "Estimate Known on", states=_ACTIVE,
        help="When an estimate of the damage became known; the reserve "
        "must be regularized within the configured days.")
    late_notice = fields.Function(
        fields.Boolean("Late Notice"), 'on_change_with_late_notice')
    late_notice_reason = fields.Text(
        "Late Notice Reason", states={
            'readonly': Eval('state') != 'draft',
            'invisible': ~Eval('late_notice'),
            })
    inspected_at = fields.DateTime("Inspected at", states=_ACTIVE)
    inspection_report = fields.Text("Inspection Report", states=_ACTIVE)
    authorization_informed_at = fields.DateTime(
        "Authorization Level Informed at", states=_ACTIVE)
    registered_at = fields.DateTime("Registered at", readonly=True)
    registered_by = fields.Many2One('res.user', "Registered by", readonly=True)
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_DRAFT)
    reserve_amount = fields.Numeric(
        "Reserve", digits=(16, 2), readonly=True,
        help="The reserve in force: the latest line of the reserve history.")
    reserve_estimated = fields.Boolean(
        "Reserve Estimated", readonly=True)
    paid_amount = fields.Numeric("Paid", digits=(16, 2), readonly=True)
    outstanding_reserve = fields.Function(fields.Numeric(
            "Outstanding Reserve", digits=(16, 2)), 'get_outstanding_reserve')
    facultative_reinsurance = fields.Function(fields.Boolean(
            "Facultative Reinsurance"),
        'get_facultative_reinsurance',
        searcher='search_facultative_reinsurance')
    facultative_reinsurance_icon = fields.Function(fields.Char(
            "Facultative Reinsurance Icon"),
        'get_facultative_reinsurance')
    facultative_reinsurance_tag = fields.Function(fields.Char(
            "Facultative Reinsurance Tag"),
        'get_facultative_reinsurance')
    policy_in_force = fields.Function(fields.Boolean(
            "Policy in Force"), 'get_policy_checks')
    premium_paid = fields.Function(fields.Boolean(
            "Premium Paid"), 'get_policy_checks')
    coverage_valid = fields.Function(fields.Boolean(
            "Coverage Valid"), 'get_policy_checks')
    policy_check_messages = fields.Function(fields.Text(
            "Policy Checks"), 'get_policy_checks')
    decline_reason = fields.Text(
        "Decline Reason", states={
            'readonly': ~Eval('state').in_(['open', 'approval']),
            })
    decided_at = fields.DateTime("Decided at", readonly=True)
    reserves = fields.One2Many(
        'insurance.claim.reserve', 'claim', "Reserve History",
        states={'readonly': ~Eval('state').in_(['open', 'approval'])})
    documents = fields.One2Many(
        'insurance.claim.document', 'claim', "Documents",
        states={'readonly': Eval('state') == 'draft'})
    requests = fields.One2Many(
        'insurance.claim.document.request', 'claim', "Document Requests",
        states={'readonly': ~Eval('state').in_(['open', 'approval'])})
    experts = fields.One2Many(
        'insurance.claim.expert', 'claim', "Experts", states=_ACTIVE)
    deadlines = fields.One2Many(
        'insurance.claim.deadline', 'claim', "Deadlines", readonly=True)
    next_deadline = fields.DateTime("Next Deadline", readonly=True)
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.number),
                'insurance_claims.msg_claim_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.number, Index.Similarity())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.next_deadline, Index.Range(order='ASC'))),
                Index(t, (t.occurrence_region, Index.Equality()),
                    (t.next_deadline, Index.Range(order='ASC')),
                    where=t.state.in_(['open', 'approval', 'approved'])),
                })
        cls._order = [
            ('notified_at', 'DESC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'open'),
            ('draft', 'cancelled'),
            ('open', 'approval'),
            ('approval', 'open'),
            ('approval', 'approved'),
            ('open', 'declined'),
            ('approval', 'declined'),
            ('approved', 'closed'),
            ('closed', 'open'),
            ('declined', 'open'),
            }
        cls._buttons.update({
                'register': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'request_approval': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'decline': {
                    'invisible': ~Eval('state').in_(['open', 'approval']),
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'approved',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': ~Eval('state').in_(['closed', 'declined']),
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if company:
            return Company(company).currency.id

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_channel():
        return 'phone'

    @staticmethod
    def default_scenario():
        return 'partial'

    @staticmethod
    def default_theft():
        return False

    @staticmethod
    def default_paid_amount():
        return Decimal(0)

    @classmethod
    def default_notified_at(cls):
        return now()

    @fields.depends('policy', 'insured_object')
    def on_change_policy(self):
        if self.policy:
            self.line = self.policy.line
            self.insured = self.policy.insured
            self.issuing_region = self.policy.issuing_region
            self.currency = self.policy.currency
            if not self.insured_object:
                self.insured_object = self.policy.insured_object

    @fields.depends('policy', 'line', 'notified_at', 'occurred_at')
    def on_change_with_late_notice(self, name=None):
        return self.is_late_notice()

    @staticmethod
    def _facultative_reinsurance_values(facultative):
        "The flag and the red tag of the form [003 §4.4.1.c]"
        return {
            'facultative_reinsurance': bool(facultative),
            'facultative_reinsurance_tag': '#d9534f' if facultative else None,
            'facultative_reinsurance_icon': (
                'tryton-error' if facultative else None),
            }

    @classmethod
    def get_facultative_reinsurance(cls, claims, names):
        # one query of the policies' flag: lists show it on every row
        pool = Pool()
        Policy = pool.get('insurance.policy')
        claim = cls.__table__()
        policy = Policy.__table__()
        cursor = Transaction().connection.cursor()
        facultative = {}
        for sub_ids in grouped_slice([c.id for c in claims],
                backend.MAX_QUERY_PARAMS):
            cursor.execute(*claim.join(policy,
                    condition=claim.policy == policy.id
                    ).select(claim.id, policy.facultative_reinsurance,
                    where=fields.SQL_OPERATORS['in'](claim.id, list(sub_ids))))
            facultative.update(cursor)
        result = {n: {} for n in names}
        for claim in claims:
            values = cls._facultative_reinsurance_values(
                facultative.get(claim.id))
            for name in names:
                result[name][claim.id] = values[name]
        return result

    @fields.depends('policy')
    def on_change_with_facultative_reinsurance(self, name=None):
        return self._facultative_reinsurance_values(
            self.policy and self.policy.facultative_reinsurance)[
            'facultative_reinsurance']

    @fields.depends('policy')
    def on_change_with_facultative_reinsurance_tag(self, name=None):
        return self._facultative_reinsurance_values(
            self.policy and self.policy.facultative_reinsurance)[
            'facultative_reinsurance_tag']

    @fields.depends('policy')
    def on_change_with_facultative_reinsurance_icon(self, name=None):
        return self._facultative_reinsurance_values(
            self.policy and self.policy.facultative_reinsurance)[
            'facultative_reinsurance_icon']

    @classmethod
    def search_facultative_reinsurance(cls, name, clause):
        return [('policy.facultative_reinsurance',) + tuple(clause[1:])]

    def get_rec_name(self, name):
        if self.number:
            return self.number
        return '(%s)' % self.id

    @classmethod
    def search_rec_name(cls, name, clause):
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number',) + tuple(clause[1:]),
            ('policy.number',) + tuple(clause[1:]),
            ('insured.name',) + tuple(clause[1:]),
            ]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('facultative_reinsurance', False), 'danger', '')),
            ]

    def get_outstanding_reserve(self, name):
        if self.reserve_amount is not None:
            return self.reserve_amount - (self.paid_amount or 0)

    @classmethod
    def update_reserve(cls, ids=None):
        "Store the latest reserve line of the claims (all when ids is None)"
        pool = Pool()
        Reserve = pool.get('insurance.claim.reserve')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        groups = ([None] if ids is None
            else map(list, grouped_slice(ids, backend.MAX_QUERY_PARAMS)))
        for sub_ids in groups:
            reserve = Reserve.__table__()

            def latest(column):
                return reserve.select(column,
                    where=reserve.claim == table.id,
                    order_by=[reserve.date.desc, reserve.id.desc], limit=1)
            cursor.execute(*table.update(
                    [table.reserve_amount, table.reserve_estimated],
                    [latest(reserve.amount), latest(reserve.estimated)],
                    where=fields.SQL_OPERATORS['in'](table.id, sub_ids)
                    if sub_ids is not None else None))
        if ids is not None:
            clear_cache(cls, ids)

    def is_late_notice(self):
        "Tell if the loss was reported after the notice days"
        if not (self.notified_at and self.occurred_at):
            return False
        if self.policy:
            days = self.policy.get_notice_days()
        elif self.line:
            days = self.line.notice_days
        else:
            return False
        return (self.notified_at.date() - self.occurred_at.date()).days > days

    def policy_checks(self):
        "Return the (check, passed, message) of the policy at the occurrence"
        checks = []
        if not self.policy or not self.occurred_at:
            return checks
        policy, date = self.policy, self.occurred_at.date()
        checks.append(('validity', policy.is_in_force(date),
                gettext('insurance_claims.msg_check_validity',
                    policy=policy.rec_name, date=date,
                    start=policy.start_date, end=policy.end_date)))
        checks.append(('premium', policy.is_premium_paid(date),
                gettext('insurance_claims.msg_check_premium',
                    policy=policy.rec_name, date=date,
                    paid_until=policy.premium_paid_until or '-')))
        coverages = list(self.coverages or [])
        valid = bool(coverages) and all(
            c.policy == policy for c in coverages)
        checks.append(('coverage', valid,
                gettext('insurance_claims.msg_check_coverage',
                    policy=policy.rec_name)))
        return checks

    @classmethod
    def get_policy_checks(cls, claims, names):
        result = {n: {} for n in names}
        fields_ = {'validity': 'policy_in_force', 'premium': 'premium_paid',
            'coverage': 'coverage_valid'}
        for claim in claims:
            checks = claim.policy_checks()
            for check, passed, _ in checks:
                if fields_[check] in names:
                    result[fields_[check]][claim.id] = passed
            if 'policy_check_messages' in names:
                result['policy_check_messages'][claim.id] = '\n'.join(
                    m for _, passed, m in checks if not passed) or None
        return result

    @property
    def insured_amount(self):
        "Sum of the insured amounts of the affected coverages"
        return sum(
            (c.insured_amount for c in self.coverages or []), Decimal(0))

    def initial_reserve_amount(self):
        "Return the reserve at registration and whether it is estimated"
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        if self.damage_estimate:
            return self.damage_estimate, False
        ratio = Configuration(1).initial_reserve_ratio
        amount = self.currency.round(self.insured_amount * ratio)
        return amount, True

    def checklist_scenarios(self):
        scenarios = {'any', self.scenario}
        if self.theft:
            scenarios.add('total_loss_theft')
        return scenarios

    def get_checklist(self):
        "Return the missing documents of the claim's requirements"
        pool = Pool()
        Requirement = pool.get('insurance.line.requirement')
        Document = pool.get('insurance.claim.document')
        party_kind = (self.insured.insurance_party_kind
            if self.insured else None) or 'natural'
        existing = {d.requirement for d in self.documents or []
            if d.requirement}
        requirements = Requirement.search(
            Requirement.applicable_domain(
                self.line, self.checklist_scenarios(), party_kind))
        return [Document.from_requirement(self, r)
            for r in requirements if r not in existing]

    @classmethod
    def update_next_deadline(cls, claims):
        "Store the earliest open deadline of the claims in one query"
        pool = Pool()
        Deadline = pool.get('insurance.claim.deadline')
        table = cls.__table__()
        deadline = Deadline.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        in_max = backend.MAX_QUERY_PARAMS
        for sub_ids in grouped_slice([c.id for c in claims], in_max):
            next_due = deadline.select(
                Min(deadline.due),
                where=(deadline.claim == table.id)
                & deadline.state.in_(['pending', 'breached']))
            cursor.execute(*table.update(
                    [table.next_deadline], [next_due],
                    where=fields.SQL_OPERATORS['in'](table.id, sub_ids)))
        clear_cache(cls, [c.id for c in claims])

    @classmethod
    def validate_fields(cls, claims, field_names):
        super().validate_fields(claims, field_names)
        cls.check_dates(claims, field_names)
        cls.check_amounts(claims, field_names)
        cls.check_emails(claims, field_names)

    @classmethod
    def check_dates(cls, claims, field_names=None):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        names = {'notified_at', 'occurred_at', 'inspected_at'}
        if field_names and not (field_names & names):
            return
        limit = now() + dt.timedelta(minutes=5)
        start = Configuration(1).policy_system_start
        for claim in claims:
            if claim.occurred_at > claim.notified_at:
                raise ClaimValidationError(gettext(
                        'insurance_claims.msg_claim_occurred_after_notice',
                        claim=claim.rec_name))
            for name in ['occurred_at', 'notified_at']:
                if getattr(claim, name) > limit:
                    raise ClaimValidationError(gettext(
                            'insurance_claims.msg_claim_date_future',
                            claim=claim.rec_name,
                            field=cls.__names__(name)['field']))
                if start and getattr(claim, name).date() < start:
                    raise ClaimValidationError(gettext(
                            'insurance_claims'
                            '.msg_claim_before_policy_system',
                            date=start,
                            **cls.__names__(field=name, record=claim)))
            for name in cls._dates_after_occurrence():
                value = getattr(claim, name)
                if value and value < claim.occurred_at:
                    raise ClaimValidationError(gettext(
                            'insurance_claims.msg_claim_before_occurrence',
                            claim=claim.rec_name,
                            field=cls.__names__(name)['field']))

    @classmethod
    def _dates_after_occurrence(cls):
        return ['inspected_at']

    @classmethod
    def _positive_amounts(cls):
        return ['damage_estimate']

    @classmethod
    def check_amounts(cls, claims, field_names=None):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        names = cls._positive_amounts()
        if field_names and not (field_names & set(names)):
            return
        for claim in claims:
            for name in names:
                value = getattr(claim, name)
                if value is not None and value < 0:
                    raise ClaimValidationError(gettext(
                            'insurance_claims.msg_claim_amount_negative',
                            claim=claim.rec_name,
                            field=cls.__names__(name)['field']))
        Configuration(1).check_maximum_amounts(claims, names, field_names)

    @classmethod
    def _emails(cls):
        "The e-mail addresses people type"
        return ['reporter_email']

    @classmethod
    def check_emails(cls, claims, field_names=None):
        names = cls._emails()
        if field_names:
            names = [n for n in names if n in field_names]
        for claim in claims:
            for name in names:
                value = getattr(claim, name)
                if value and not is_email(value):
                    raise ClaimValidationError(gettext(
                            'insurance_claims.msg_claim_invalid_email',
                            **cls.__names__(field=name, record=claim)))

    @classmethod
    def check_modification(cls, mode, claims, values=None, external=False):
        super().check_modification(
            mode, claims, values=values, external=external)
        if mode == 'delete':
            for claim in claims:
                if claim.number or claim.state != 'draft':
                    raise ClaimStateError(gettext(
                            'insurance_claims.msg_claim_delete_numbered',
                            claim=claim.rec_name))
        elif mode == 'write' and 'damage_estimate' in values:
            for claim in claims:
                if claim.state in {'approved', 'closed', 'declined'}:
                    raise ClaimStateError(gettext(
                            'insurance_claims.msg_reserve_needs_approval',
                            claim=claim.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Policy = pool.get('insurance.policy')
        values = super().preprocess_values(mode, values)
        if values.get('policy'):
            policy = Policy(values['policy'])
            values['issuing_region'] = (
                policy.issuing_region.id if policy.issuing_region else None)
            values.setdefault('line', policy.line.id)
            values.setdefault('insured', policy.insured.id)
        return values

    @classmethod
    def on_modification(cls, mode, claims, field_names=None):
        pool = Pool()
        Reserve = pool.get('insurance.claim.reserve')
        super().on_modification(mode, claims, field_names=field_names)
        if mode == 'delete':
            return
        if mode == 'write' and 'damage_estimate' in field_names:
            cls._reserve_from_estimate(claims)
        if mode == 'write' and (
                field_names & {'company', 'occurrence_region', 'line'}):
            Reserve.update_changes([c.id for c in claims])
        cls.sync_deadlines(claims)

    @classmethod
    def sync_deadlines(cls, claims):
        "Open and close the deadlines after the events they watch"
        pool = Pool()
        Deadline = pool.get('insurance.claim.deadline')
        Deadline.sync(claims)
        cls.update_next_deadline(claims)

    @classmethod
    def _reserve_from_estimate(cls, claims):
        pool = Pool()
        Reserve = pool.get('insurance.claim.reserve')
        reserves = []
        for claim in claims:
            if claim.state not in {'open', 'approval'}:
                continue
            if (claim.damage_estimate is None
                    or claim.damage_estimate == claim.reserve_amount):
                continue
            kind = 'estimate' if claim.reserve_estimated else 'adjustment'
            reason = (Transaction().context.get('reserve_reason')
                or gettext('insurance_claims.msg_reserve_reason_estimate'))
            reserves.append(Reserve(
                    claim=claim, kind=kind, amount=claim.damage_estimate,
                    estimated=False, reason=reason))
        Reserve.save(reserves)

    @classmethod
    def copy(cls, claims, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'registered_at', 'registered_by', 'reserves',
                'documents', 'requests', 'experts', 'deadlines',
                'next_deadline', 'decided_at', 'decline_reason',
                'reserve_amount']:
            default.setdefault(name, None)
        default.setdefault('reserve_estimated', False)
        default.setdefault('paid_amount', Decimal(0))
        return super().copy(claims, default=default)

    def check_registration(self):
        "Raise if the claim cannot be registered"
        missing = []
        for name in ['insured', 'occurred_at', 'description',
                'insured_object']:
            if not getattr(self, name):
                missing.append(self.__class__._fields[name].string)
        if not (self.reporter_phone or self.reporter_email):
            missing.append(self.__class__._fields['reporter_phone'].string)
        if missing:
            raise ClaimRegisterError(gettext(
                    'insurance_claims.msg_claim_register_missing',
                    claim=self.rec_name, fields=', '.join(missing)))
        if not self.coverages:
            raise ClaimRegisterError(gettext(
                    'insurance_claims.msg_claim_register_coverages',
                    claim=self.rec_name))
        if not self.policy.is_in_force(self.occurred_at.date()):
            raise ClaimRegisterError(gettext(
                    'insurance_claims.msg_claim_policy_not_in_force',
                    claim=self.rec_name, policy=self.policy.rec_name,
                    date=self.occurred_at.date()))
        if self.is_late_notice() and not self.late_notice_reason:
            raise ClaimRegisterError(gettext(
                    'insurance_claims.msg_claim_late_notice_reason',
                    claim=self.rec_name,
                    days=self.policy.get_notice_days()))

    @classmethod
    def set_number(cls, claims):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        config = Configuration(1)
        for claim in claims:
            if not claim.number:
                with Transaction().set_context(company=claim.company.id):
                    claim.number = config.claim_sequence.get()
        cls.save(claims)

    @classmethod
    @ModelView.button
    @transition('open')
    def register(cls, claims):
        pool = Pool()
        Reserve = pool.get('insurance.claim.reserve')
        Document = pool.get('insurance.claim.document')
        for claim in claims:
            claim.check_registration()
        registered_at = now()
        reserves, documents = [], []
        for claim in claims:
            claim.registered_at = registered_at
            claim.registered_by = Transaction().user
            amount, estimated = claim.initial_reserve_amount()
            reserves.append(Reserve(
                    claim=claim, kind='initial', amount=amount,
                    estimated=estimated, date=registered_at,
                    reason=gettext(
                        'insurance_claims.msg_reserve_reason_initial_ratio'
                        if estimated else
                        'insurance_claims.msg_reserve_reason_estimate')))
            documents.extend(claim.get_checklist())
        # one write of the number with the registration
        cls.set_number(claims)
        Reserve.save(reserves)
        Document.save(documents)
        cls.notify_reinsurance(
            [c for c in claims if c.policy.facultative_reinsurance],
            'insurance_claims.msg_notify_facultative')

    @classmethod
    def notify_reinsurance(cls, claims, message):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        if not claims:
            return
        group_id = ModelData.get_id(
            'insurance_claims', 'group_claims_reinsurance')
        users = User.search([('groups', '=', group_id)])
        for claim in claims:
            notify(users,
                gettext(message, claim=claim.rec_name),
                gettext('insurance_claims.msg_notify_claim_description',
                    claim=claim.rec_name, policy=claim.policy.rec_name,
                    insured=claim.insured.rec_name if claim.insured else '',
                    object=claim.insured_object or ''),
                [claim])

    @classmethod
    @ModelView.button
    @transition('cancelled')
    def cancel(cls, claims):
        pass

    @classmethod
    @ModelView.button
    @transition('approval')
    def request_approval(cls, claims):
        for claim in claims:
            claim.check_approval_request()
        cls._create_approval_round(claims)

    def check_approval_request(self):
        "Raise if an approval cannot be requested; extended by approvals"
        if Transaction().context.get('_insurance_commercial'):
            return
        failed = [m for _, passed, m in self.policy_checks() if not passed]
        if failed:
            raise ClaimStateError(gettext(
                    'insurance_claims.msg_claim_policy_checks_failed',
                    claim=self.rec_name, checks='\n'.join(failed)))

    @classmethod
    def _create_approval_round(cls, claims):
        "Create the approval rounds of the claims; filled by the approvals"
        pass

    @classmethod
    @transition('open')
    def reject_approval(cls, claims):
        "Back to open when a step of the round is rejected"
        pass

    @classmethod
    @transition('approved')
    def approve(cls, claims):
        "Called by the approval engine once the last step is signed"
        cls.write(claims, {'decided_at': now()})

    @classmethod
    @ModelView.button
    @transition('declined')
    def decline(cls, claims):
        for claim in claims:
            if not (claim.decline_reason or '').strip():
                raise ClaimStateError(gettext(
                        'insurance_claims.msg_claim_decline_reason',
                        claim=claim.rec_name))
        cls.write(claims, {'decided_at': now()})

    @classmethod
    @ModelView.button
    @transition('closed')
    def close(cls, claims):
        pool = Pool()
        Reserve = pool.get('insurance.claim.reserve')
        cls._check_close(claims)
        reserves = []
        for claim in claims:
            remaining = claim.reserve_amount or Decimal(0)
            paid = claim.paid_amount or Decimal(0)
            if remaining != paid:
                reserves.append(Reserve(
                        claim=claim, kind='release', amount=paid,
                        estimated=False,
                        reason=gettext(
                            'insurance_claims.msg_reserve_reason_release')))
        Reserve.save(reserves)

    @classmethod
    def _check_close(cls, claims):
        "Raise if payment orders are pending; filled by the settlement"
        pass

    @classmethod
    @ModelView.button
    @transition('open')
    def reopen(cls, claims):
        if not Transaction().context.get('_insurance_reopen_approved'):
            raise ClaimStateError(gettext(
                    'insurance_claims.msg_claim_reopen_request',
                    claim=claims[0].rec_name if claims else ''))
        cls.write(claims, {'decided_at': None})

class ClaimCoverage(ServerReadonlyMixin, RelationIndexMixin, ModelSQL):
    __name__ = 'insurance.claim-insurance.policy.coverage'
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, ondelete='CASCADE')
    coverage = fields.Many2One(
        'insurance.policy.coverage', "Coverage", required=True,
        ondelete='RESTRICT')


class ClaimReport(CompanyReport):
    __name__ = 'insurance.claim'
