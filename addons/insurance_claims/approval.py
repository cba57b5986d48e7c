# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Approval engine of the claims [003 §4.2.4], SPEC §2.5

One engine serves every kind of round (claim, reserve change, extraordinary
expense, work order, reopening, commercial payment).  The public API other
files rely on is documented on :class:`Approval` and :class:`Claim`.
"""
import logging
import shutil
from decimal import Decimal
from email.message import EmailMessage

from sql import Literal

from trytond import config as tconfig
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.currency.exceptions import RateError
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.report import Report
from trytond.sendmail import send_message_transactional
from trytond.transaction import Transaction, without_check_access

from .common import notify, now
from .exceptions import (
    ApprovalError, ApprovalSignError, ApprovalValidationError)

logger = logging.getLogger(__name__)

KINDS = [
    ('claim', "Claim"),
    ('reserve_change', "Reserve Change"),
    ('extraordinary_expense', "Extraordinary Expense"),
    ('work_order', "Work Order"),
    ('reopen', "Reopening"),
    ('commercial', "Commercial Payment"),
    ]
ROUND_STATES = [
    ('pending', "Pending"),
    ('approved', "Approved"),
    ('rejected', "Rejected"),
    ('cancelled', "Cancelled"),
    ]
STEP_STATES = [
    ('waiting', "Waiting"),
    ('to_sign', "To Sign"),
    ('signed', "Signed"),
    ('rejected', "Rejected"),
    ]
# the context flag of the engine's own writes; RPC strips keys starting
# with "_" so a client cannot set it
ENGINE = '_insurance_approval_engine'
# what a signer may fill on the step he is about to sign
SIGNER_FIELDS = {
    'comment', 'condition_amount', 'condition_coverage', 'condition_text',
    'waive_adjuster',
    }
_DEFAULT_SMTP = 'smtp://localhost:25'


def _one_line(text, size=250):
    "Notifications hold one line of text"
    return ' '.join((text or '').split())[:size]


def _user_group_ids(user_id):
    "Return the ids of the groups of the user, parents included"
    pool = Pool()
    UserGroup = pool.get('res.user-res.group')
    Group = pool.get('res.group')
    group = Group.__table__()
    user_group = UserGroup.user_group_all_table()
    cursor = Transaction().connection.cursor()
    cursor.execute(*user_group
        .join(group, condition=user_group.group == group.id)
        .select(user_group.group,
            where=(user_group.user == user_id)
            & (group.active == Literal(True))))
    return {g for g, in cursor}


class Configuration(metaclass=PoolMeta):
    __name__ = 'insurance.configuration'
    approval_currency = fields.Many2One(
        'currency.currency', "Approval Currency",
        help="The currency of the approval thresholds (USD in the norm); "
        "amounts are converted at the claim's date.")
    approval_four_eyes = fields.Boolean(
        "One Signature per Person",
        help="A person signs at most one step of a round.")
    extraordinary_threshold = fields.Numeric(
        "Extraordinary Expense Threshold", digits=(16, 2), required=True,
        help="Extraordinary expenses up to this amount (approval currency) "
        "need the lower level; above it the higher one.")
    extraordinary_low_level = fields.Integer(
        "Extraordinary Expense Level up to the Threshold", required=True)
    extraordinary_high_level = fields.Integer(
        "Extraordinary Expense Level above the Threshold", required=True)
    reserve_change_tolerance = fields.Numeric(
        "Reserve Change Tolerance", digits=(16, 4), required=True,
        help="A change of a reserve approved by the top level that stays "
        "within this ratio of the approved amount needs only the reduced "
        "level.")
    reserve_change_level = fields.Integer(
        "Reserve Change Reduced Level", required=True)
    digitized_file_level = fields.Integer(
        "Digitized File Level", required=True,
        help="From this level the claim file must be digitized and the "
        "approvers are e-mailed.")
    adjuster_level = fields.Integer(
        "Adjuster Level", required=True,
        help="From this level an adjuster must be assigned (or waived by a "
        "signer of this level) and the issuing region's manager is "
        "informed.")
    approval_email = fields.Boolean(
        "Send Approval E-Mails",
        help="Send the approval e-mails through the server's SMTP even "
        "with the default SMTP address; they are always kept as "
        "notifications.")

    @classmethod
    def default_approval_currency(cls):
        pool = Pool()
        Currency = pool.get('currency.currency')
        currencies = Currency.search([('code', 'in', ['USD', 'usd'])],
            limit=1)
        if currencies:
            return currencies[0].id

    @classmethod
    def default_approval_four_eyes(cls):
        return True

    @classmethod
    def default_extraordinary_threshold(cls):
        return Decimal(4000)

    @classmethod
    def default_extraordinary_low_level(cls):
        return 3

    @classmethod
    def default_extraordinary_high_level(cls):
        return 4

    @classmethod
    def default_reserve_change_tolerance(cls):
        return Decimal('0.15')

    @classmethod
    def default_reserve_change_level(cls):
        return 4

    @classmethod
    def default_digitized_file_level(cls):
        return 3

    @classmethod
    def default_adjuster_level(cls):
        return 4

    @classmethod
    def default_approval_email(cls):
        return False

    def get_approval_currency(self):
        pool = Pool()
        Company = pool.get('company.company')
        if self.approval_currency:
            return self.approval_currency
        currency = self.default_approval_currency()
        if currency:
            return Pool().get('currency.currency')(currency)
        company = Transaction().context.get('company')
        if company:
            return Company(company).currency
        raise ApprovalError(gettext(
                'insurance_claims.msg_approval_currency_missing'))

    @classmethod
    def validate_fields(cls, configurations, field_names):
        super().validate_fields(configurations, field_names)
        for configuration in configurations:
            for name in ['extraordinary_threshold',
                    'reserve_change_tolerance']:
                value = getattr(configuration, name)
                if value is not None and value < 0:
                    raise ApprovalValidationError(gettext(
                            'insurance_claims.msg_configuration_negative',
                            field=cls._fields[name].string))


class Level(ServerReadonlyMixin, ModelSQL, ModelView):
    """Approval level [003 §4.2.4.a]

    ``level`` 1…n (unique), ``name``, ``group`` (its members hold the
    level), ``amount_from`` (approval currency).  ``required_levels(amount)``
    returns every level from 1 up to the highest whose ``amount_from`` is at
    most the amount ("escalonadamente").
    """
    __name__ = 'insurance.approval.level'
    _rec_name = 'name'
    level = fields.Integer("Level", required=True)
    name = fields.Char("Name", required=True, translate=True)
    group = fields.Many2One(
        'res.group', "Group", required=True, ondelete='RESTRICT',
        help="The members of this group hold the level.")
    amount_from = fields.Numeric(
        "Amount from", digits=(16, 2), required=True,
        help="In the approval currency of the claims settings.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('level_unique', Unique(t, t.level),
                'insurance_claims.msg_approval_level_unique'),
            ]
        cls._order = [('level', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s - %s' % (self.level, self.name)

    @classmethod
    def validate_fields(cls, levels, field_names):
        super().validate_fields(levels, field_names)
        for level in levels:
            if level.level <= 0 or level.amount_from < 0:
                raise ApprovalValidationError(gettext(
                        'insurance_claims.msg_approval_level_values',
                        level=level.rec_name))

    @classmethod
    def required_levels(cls, amount):
        """Return the levels that sign an amount (approval currency)

        Every level from the first up to the highest whose ``amount_from``
        is at most the amount; amounts below every threshold need the
        levels of the first band.
        """
        levels = cls.search([], order=[('level', 'ASC')])
        if not levels:
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_no_levels'))
        floor = min(l.amount_from for l in levels)
        amount = max(amount, floor)
        top = max(l.level for l in levels if l.amount_from <= amount)
        return [l for l in levels if l.level <= top]

    @classmethod
    def get_levels(cls, numbers):
        "Return the levels of the numbers, raising on a missing one"
        levels = {l.level: l for l in cls.search(
                [('level', 'in', list(numbers))])}
        missing = [n for n in numbers if n not in levels]
        if missing:
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_level_missing',
                    level=', '.join(map(str, missing))))
        return [levels[n] for n in sorted(set(numbers))]

    @classmethod
    def levels_of_user(cls, user_id):
        "Return the level numbers the user holds"
        groups = _user_group_ids(user_id)
        return {l.level for l in cls.search([]) if l.group.id in groups}


class Delegation(ServerReadonlyMixin, DeactivableMixin, ModelSQL, ModelView):
    """Delegation of a holder's signature [003 §4.2.4.a]

    In absence of a holder, by internal communication (vacation) or formal
    notice of human resources: ``to_user`` signs on behalf of ``from_user``
    from ``start_date`` to ``end_date`` (both included).
    """
    __name__ = 'insurance.approval.delegation'
    from_user = fields.Many2One(
        'res.user', "From User", required=True, ondelete='CASCADE',
        help="The holder who is absent.")
    to_user = fields.Many2One(
        'res.user', "To User", required=True, ondelete='CASCADE',
        help="Who signs on behalf of the holder.")
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date", required=True,
        domain=[('end_date', '>=', Eval('start_date', None))])
    reason = fields.Text("Reason", required=True)
    reference = fields.Char(
        "Reference",
        help="The internal communication or human resources notice.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.to_user, Index.Equality()),
                (t.start_date, Index.Range()), (t.end_date, Index.Range())))
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return '%s → %s' % (self.from_user.rec_name, self.to_user.rec_name)

    @classmethod
    def validate_fields(cls, delegations, field_names):
        super().validate_fields(delegations, field_names)
        for delegation in delegations:
            if delegation.end_date < delegation.start_date:
                raise ApprovalValidationError(gettext(
                        'insurance_claims.msg_delegation_dates',
                        delegation=delegation.rec_name))
            if delegation.from_user == delegation.to_user:
                raise ApprovalValidationError(gettext(
                        'insurance_claims.msg_delegation_same_user',
                        delegation=delegation.rec_name))

    @classmethod
    def delegators(cls, user_id, date):
        "Return the users who delegated to the user at the date"
        delegations = cls.search([
                ('to_user', '=', user_id),
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ])
        return [d.from_user for d in delegations]


class Approval(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    """Approval round (SPEC §2.5) — the engine's public API

    Fields: ``claim``, ``kind`` (claim | reserve_change |
    extraordinary_expense | work_order | reopen | commercial), ``origin``
    (Reference to what the round approves; extend ``_get_origin()`` with
    PoolMeta to add models), ``amount`` (in ``currency``),
    ``amount_approval_currency``, ``top_level``, ``reserve_level`` (level of
    the claim's reserve, drives the level rules), ``state`` (pending |
    approved | rejected | cancelled), the conditions ``condition_amount``,
    ``condition_coverage``, ``condition_text`` (merged from the signers'
    steps; they bind later payments, see ``Claim.approval_conditions()``),
    ``steps``.

    Create a round with ``Approval.create_round(claim, kind, amount,
    origin=None, levels=None, reason=None)``: it returns the saved pending
    round with its steps (levels from ``Level.required_levels`` unless
    ``levels`` — a list of level numbers such as ``[1, 2]`` — is given;
    extraordinary expenses, reserve changes and reopenings compute their own
    levels).

    When a round ends the engine calls, on the origin or on the claim when
    there is no origin, the *instance* method ``approval_approved(round)``
    or ``approval_rejected(round)`` if it exists.  A cancelled round calls
    ``approval_cancelled(round)`` the same way.

    Approved, rejected and cancelled rounds and signed steps are immutable;
    the tables keep their history.
    """
    __name__ = 'insurance.claim.approval'
    _history = True
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, readonly=True,
        ondelete='RESTRICT')
    company = fields.Function(fields.Many2One(
            'company.company', "Company"), 'on_change_with_company')
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True,
        sort=False)
    origin = fields.Reference(
        "Origin", selection='get_origin', readonly=True)
    reason = fields.Text("Reason", readonly=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, readonly=True)
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, readonly=True)
    amount_approval_currency = fields.Numeric(
        "Amount in Approval Currency", digits=(16, 2), required=True,
        readonly=True)
    approval_currency = fields.Many2One(
        'currency.currency', "Approval Currency", required=True,
        readonly=True)
    rate_date = fields.Date("Rate Date", readonly=True)
    top_level = fields.Integer("Top Level", readonly=True)
    reserve_level = fields.Integer(
        "Reserve Level", readonly=True,
        help="The level of the claim's reserve when the round was "
        "requested; it drives the digitized file, e-mail and adjuster "
        "rules.")
    state = fields.Selection(
        ROUND_STATES, "State", required=True, readonly=True, sort=False)
    steps = fields.One2Many(
        'insurance.claim.approval.step', 'approval', "Steps", readonly=True)
    condition_amount = fields.Numeric(
        "Condition: Payment Amount", digits=(16, 2), readonly=True)
    condition_coverage = fields.Many2One(
        'insurance.policy.coverage', "Condition: Coverage", readonly=True)
    condition_text = fields.Text("Conditions", readonly=True)
    adjuster_waived_by = fields.Many2One(
        'res.user', "Adjuster Waived by", readonly=True)
    analysis = fields.Text("Analysis", readonly=True,
        help="The handler's report and analysis of the claim.")
    file_link = fields.Char("Digitized File", readonly=True)
    mail_subject = fields.Char("E-Mail Subject", readonly=True)
    mail_body = fields.Text("E-Mail Body", readonly=True)
    requested_by = fields.Many2One('res.user', "Requested by", readonly=True)
    requested_at = fields.DateTime("Requested at", readonly=True)
    decided_at = fields.DateTime("Decided at", readonly=True)
    rejection_reason = fields.Text("Rejection Reason", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.claim, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state == 'pending'),
                })
        cls.__access__.add('claim')
        cls._order = [('requested_at', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('pending', 'approved'),
            ('pending', 'rejected'),
            ('pending', 'cancelled'),
            }
        cls._buttons.update({
                'cancel': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'pending'

    @fields.depends('claim', '_parent_claim.company')
    def on_change_with_company(self, name=None):
        return self.claim.company if self.claim else None

    @classmethod
    def _get_origin(cls):
        "Return the model names a round may approve"
        return ['insurance.claim.reserve', 'insurance.claim.reopen']

    @classmethod
    def get_origin(cls):
        pool = Pool()
        IrModel = pool.get('ir.model')
        get_name = IrModel.get_name
        models = cls._get_origin()
        return [(None, '')] + [(m, get_name(m)) for m in models]

    def get_rec_name(self, name):
        kind = dict(self.fields_get(['kind'])['kind']['selection']).get(
            self.kind, self.kind)
        return '%s - %s (%s)' % (self.claim.rec_name, kind, self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('claim.rec_name',) + tuple(clause[1:])]

    # --- amounts and levels ------------------------------------------------

    @classmethod
    def to_approval_currency(cls, amount, currency, date, claim=None):
        "Convert an amount to the approval currency at the date"
        pool = Pool()
        Currency = pool.get('currency.currency')
        Configuration = pool.get('insurance.configuration')
        target = Configuration(1).get_approval_currency()
        try:
            with Transaction().set_context(date=date):
                value = Currency.compute(currency, amount, target)
        except RateError as exception:
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_no_rate',
                    claim=claim.rec_name if claim else '',
                    currency=currency.code, target=target.code,
                    date=date, error=str(exception))) from exception
        return value, target

    @classmethod
    def claim_rate_date(cls, claim):
        "The claim's date for the rates: its occurrence"
        return (claim.occurred_at or claim.notified_at or now()).date()

    @classmethod
    def reserve_level_of(cls, claim, amount=None):
        "Return the top level required by the claim's reserve"
        pool = Pool()
        Level = pool.get('insurance.approval.level')
        if amount is None:
            amount = claim.reserve_amount or Decimal(0)
        value, _ = cls.to_approval_currency(
            amount, claim.currency, cls.claim_rate_date(claim), claim)
        return max(l.level for l in Level.required_levels(value))

    @classmethod
    def extraordinary_levels(cls, amount_approval_currency):
        """Levels of an extraordinary expense [003 §4.2.4.b]

        Up to the threshold the deputy manager (3), above it the technical
        or general manager (4, which level 5 may sign as a higher level).
        """
        Configuration = Pool().get('insurance.configuration')
        config = Configuration(1)
        if amount_approval_currency <= config.extraordinary_threshold:
            return [config.extraordinary_low_level]
        return [config.extraordinary_high_level]

    @classmethod
    def reserve_change_levels(cls, claim, amount, amount_approval_currency):
        """Levels of a reserve change on an approved claim

        When the reserve was last approved by the top level and the change
        does not exceed the tolerance (15 %) of that approved amount, the
        reduced level (4) alone approves [003 §4.2.4.c]; otherwise the full
        chain of the new amount.
        """
        pool = Pool()
        Level = pool.get('insurance.approval.level')
        Configuration = pool.get('insurance.configuration')
        config = Configuration(1)
        levels = Level.search([])
        top = max(l.level for l in levels) if levels else None
        base = claim.last_top_approval(top)
        if base and base.amount:
            change = abs(amount - base.amount)
            if change <= base.amount * config.reserve_change_tolerance:
                return [config.reserve_change_level]
        return [l.level for l in Level.required_levels(
                amount_approval_currency)]

    @classmethod
    def is_ordinary_expense_payee(cls, party):
        """Tell if payments to the party are ordinary claim expenses

        Adjusters (and other experts of Annex 2) and contracted providers
        such as the medical auditor are not extraordinary [003 §4.2.4.b].
        """
        pool = Pool()
        Adjuster = pool.get('insurance.adjuster')
        if not party:
            return False
        if getattr(party, 'insurance_contracted_provider', False):
            return True
        with Transaction().set_context(active_test=False):
            return bool(Adjuster.search([('party', '=', party.id)], limit=1))

    @classmethod
    def create_round(cls, claim, kind, amount, origin=None, levels=None,
            reason=None, payee=None):
        """Create, save and return a pending round with its steps

        ``levels`` is a list of level numbers (e.g. ``[1, 2]``); without
        it the levels follow the kind and the amount.  ``payee`` (a party)
        lets an extraordinary expense refuse ordinary payees.
        """
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Level = pool.get('insurance.approval.level')
        Step = pool.get('insurance.claim.approval.step')
        ModelData = pool.get('ir.model.data')
        # the levels of a reserve change and the pending rounds are read
        # from the claim's other rounds
        Claim.lock([claim])
        if amount is None or amount < 0 or (amount == 0 and kind != 'reopen'):
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_amount_positive',
                    claim=claim.rec_name))
        if kind not in dict(KINDS):
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_kind_unknown', kind=kind))
        if kind == 'extraordinary_expense':
            if payee is None and origin is not None:
                payee = getattr(origin, 'payee', None)
            if payee and cls.is_ordinary_expense_payee(payee):
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_ordinary_expense',
                        claim=claim.rec_name, party=payee.rec_name))
        date = cls.claim_rate_date(claim)
        currency = claim.currency
        if origin is not None and getattr(origin, 'currency', None):
            currency = origin.currency
        value, target = cls.to_approval_currency(
            amount, currency, date, claim)
        groups = []
        if levels is not None:
            step_levels = Level.get_levels(levels)
        elif kind == 'extraordinary_expense':
            step_levels = Level.get_levels(cls.extraordinary_levels(value))
        elif kind == 'reserve_change':
            step_levels = Level.get_levels(
                cls.reserve_change_levels(claim, amount, value))
        elif kind == 'reopen':
            step_levels = []
            groups = [ModelData.get_id(
                    'insurance_claims', 'group_claims_national_office')]
        else:
            step_levels = Level.required_levels(value)
        if not step_levels and not groups:
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_no_levels'))
        reserve_level = None
        if kind in cls._level_rule_kinds():
            reserve_amount = (amount if kind == 'reserve_change'
                else (claim.reserve_amount or amount))
            reserve_level = cls.reserve_level_of(claim, reserve_amount)
        with Transaction().set_context(**{ENGINE: True}):
            record = cls(claim=claim, kind=kind, origin=origin, amount=amount,
                currency=currency, amount_approval_currency=value,
                approval_currency=target, rate_date=date, reason=reason,
                top_level=max([l.level for l in step_levels], default=None),
                reserve_level=reserve_level, state='pending',
                analysis=claim.approval_analysis,
                file_link=claim.digital_file_url,
                requested_by=Transaction().user, requested_at=now())
            record.check_level_rules()
            steps = []
            for sequence, level in enumerate(step_levels, 1):
                steps.append(Step(level=level, group=level.group,
                        sequence=sequence))
            for group in groups:
                steps.append(Step(level=None, group=group,
                        sequence=len(steps) + 1))
            steps[0].state = 'to_sign'
            for step in steps[1:]:
                step.state = 'waiting'
            record.steps = steps
            record.save()
        record = cls(record.id)
        record.notify_request()
        return record

    @classmethod
    def _level_rule_kinds(cls):
        "Kinds of round the level rules of the reserve apply to"
        return ['claim', 'reserve_change', 'commercial', 'reopen']

    def _config(self):
        return Pool().get('insurance.configuration')(1)

    def check_level_rules(self):
        "Raise if the claim file is not digitized for a level-3+ round"
        if self.reserve_level is None:
            return
        if self.reserve_level >= self._config().digitized_file_level:
            missing = self.claim.undigitized_documents()
            if missing:
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_not_digitized',
                        claim=self.claim.rec_name, level=self.reserve_level,
                        documents=', '.join(d.name for d in missing)))

    # --- notifications -----------------------------------------------------

    def mail_subject_text(self):
        "Claim number & policy — insured — insured object [003 §4.2.4.c]"
        claim = self.claim
        return gettext('insurance_claims.msg_approval_mail_subject',
            claim=claim.number or claim.rec_name,
            policy=claim.policy.number,
            insured=claim.insured.rec_name if claim.insured else '',
            object=' '.join((claim.insured_object or '').split()))

    def mail_body_text(self):
        claim = self.claim
        try:
            link = claim.__href__
        except Exception:
            link = ''
        return gettext('insurance_claims.msg_approval_mail_body',
            claim=claim.rec_name, kind=self.kind_string,
            amount=self.amount, currency=self.currency.code,
            approval_amount=self.amount_approval_currency,
            approval_currency=self.approval_currency.code,
            levels=', '.join(str(s.level.level) for s in self.steps
                if s.level),
            analysis=self.analysis or '-',
            file=self.file_link or '-',
            link=link)

    kind_string = kind.translated('kind')
    state_string = state.translated('state')

    def approver_users(self):
        "The users who hold the levels of the steps"
        pool = Pool()
        User = pool.get('res.user')
        group_ids = list({s.group.id for s in self.steps})
        with without_check_access():
            return User.search([('groups', 'in', group_ids)])

    def notify_request(self):
        "Notify the first signers; e-mail the approvers from the level"
        config = self._config()
        first = self.steps[0]
        notify(first.holders(),
            gettext('insurance_claims.msg_approval_to_sign',
                claim=self.claim.rec_name),
            self.mail_subject_text(), [self])
        if (self.reserve_level is not None
                and self.reserve_level >= config.digitized_file_level):
            self.mail_approvers()
        if (self.reserve_level is not None
                and self.reserve_level >= config.adjuster_level):
            self.inform_region_manager()
        if self.kind == 'work_order' and self.reserve_level is None:
            self.inform_up_to_claim_level()

    def mail_approvers(self):
        "Build the approvers' e-mail; send it only when SMTP is configured"
        subject = self.mail_subject_text()
        body = self.mail_body_text()
        users = self.approver_users()
        with Transaction().set_context(**{ENGINE: True}):
            self.write([self], {'mail_subject': subject, 'mail_body': body})
        notify(users, subject, _one_line(body), [self])
        to_addrs = sorted({u.email for u in users if u.email})
        if to_addrs and self.smtp_configured():
            msg = EmailMessage()
            msg['Subject'] = subject
            msg['From'] = tconfig.get('email', 'from')
            msg['To'] = ', '.join(to_addrs)
            msg.set_content(body)
            try:
                send_message_transactional(msg, strict=False)
            except Exception:
                logger.warning("approval e-mail not sent", exc_info=True)

    def smtp_configured(self):
        uri = tconfig.get('email', 'uri', default=None)
        if not uri:
            return False
        return uri != _DEFAULT_SMTP or bool(self._config().approval_email)

    def inform_region_manager(self):
        "Inform the manager of the policy's issuing region [003 §4.2.4.c]"
        pool = Pool()
        User = pool.get('res.user')
        region = self.claim.issuing_region
        if not region or not region.manager:
            return
        with without_check_access():
            users = User.users_of_employees([region.manager.id])
        notify(users,
            gettext('insurance_claims.msg_approval_region_manager',
                claim=self.claim.rec_name, level=self.reserve_level),
            self.mail_subject_text(), [self])

    def inform_up_to_claim_level(self):
        "Inform up to the level of the claim's estimate [003 §4.2.4.e]"
        pool = Pool()
        Level = pool.get('insurance.approval.level')
        User = pool.get('res.user')
        try:
            claim_level = self.reserve_level_of(self.claim)
        except ApprovalError:
            return
        top = self.top_level or 0
        groups = [l.group.id for l in Level.search([
                    ('level', '>', top), ('level', '<=', claim_level)])]
        if not groups:
            return
        with without_check_access():
            users = User.search([('groups', 'in', groups)])
        notify(users,
            gettext('insurance_claims.msg_approval_informed',
                claim=self.claim.rec_name, kind=self.kind_string),
            self.mail_subject_text(), [self])

    # --- end of a round ----------------------------------------------------

    def _target(self):
        return self.origin if self.origin else self.claim

    def _dispatch(self, method):
        target = self._target()
        callback = getattr(target, method, None)
        if callback is not None:
            callback(self)

    @classmethod
    def _approve(cls, rounds):
        with Transaction().set_context(**{ENGINE: True}):
            cls.write(rounds, {'state': 'approved', 'decided_at': now()})
        for record in rounds:
            record._dispatch('approval_approved')
            record.notify_requester('insurance_claims.msg_approval_approved')

    @classmethod
    def _reject(cls, rounds, reason):
        with Transaction().set_context(**{ENGINE: True}):
            cls.write(rounds, {
                    'state': 'rejected', 'decided_at': now(),
                    'rejection_reason': reason,
                    })
        for record in rounds:
            record._dispatch('approval_rejected')
            record.notify_requester('insurance_claims.msg_approval_rejected')

    def notify_requester(self, message):
        if self.requested_by:
            notify([self.requested_by],
                gettext(message, claim=self.claim.rec_name,
                    kind=self.kind_string),
                _one_line(self.rejection_reason or self.condition_text),
                [self])

    @classmethod
    @ModelView.button
    def cancel(cls, rounds):
        "Cancel pending rounds (e.g. the claim is declined)"
        cls.lock(rounds)
        rounds = cls.browse([r.id for r in rounds])
        for record in rounds:
            if record.state != 'pending':
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_not_pending',
                        approval=record.rec_name))
        with Transaction().set_context(**{ENGINE: True}):
            cls.write(rounds, {'state': 'cancelled', 'decided_at': now()})
        for record in rounds:
            record._dispatch('approval_cancelled')

    def _merge_conditions(self, step):
        "Return the round's new conditions once the step is signed"
        values = {}
        if step.condition_amount is not None:
            if step.condition_amount <= 0:
                raise ApprovalSignError(gettext(
                        'insurance_claims.msg_approval_condition_amount',
                        step=step.rec_name))
            current = self.condition_amount
            values['condition_amount'] = (step.condition_amount
                if current is None else min(current, step.condition_amount))
        if step.condition_coverage:
            values['condition_coverage'] = step.condition_coverage.id
        if (step.condition_text or '').strip():
            label = step.level.rec_name if step.level else step.group.rec_name
            line = '[%s] %s' % (label, step.condition_text.strip())
            values['condition_text'] = '\n'.join(
                filter(None, [self.condition_text, line]))
        return values

    # --- immutability ------------------------------------------------------

    @classmethod
    def check_modification(cls, mode, rounds, values=None, external=False):
        super().check_modification(
            mode, rounds, values=values, external=external)
        engine = Transaction().context.get(ENGINE)
        if mode == 'delete':
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_delete'))
        if not engine:
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_engine_only'))
        if mode == 'write':
            for record in rounds:
                if record.state != 'pending':
                    if set(values) - {'origin'} or record.origin:
                        raise ApprovalError(gettext(
                                'insurance_claims.msg_approval_immutable',
                                approval=record.rec_name))

    @classmethod
    def copy(cls, rounds, default=None):
        if rounds:
            raise ApprovalError(gettext('insurance_claims.msg_approval_copy'))
        return super().copy(rounds, default=default)


class Step(ServerReadonlyMixin, ModelSQL, ModelView):
    """Signature step of a round

    ``approval``, ``level`` (Many2One ``insurance.approval.level``; empty on
    the national claims office's step of a reopening), ``group`` (who signs
    at this step), ``state`` (waiting | to_sign | signed | rejected),
    ``signed_by``, ``signed_at``, ``on_behalf_of``, ``signer_level``,
    ``comment`` and the signer's conditions.  Buttons ``sign`` and ``reject``
    (a comment is the reason).

    Who signs: a member of the step's group, a holder of any higher level,
    or the delegate of such a holder through an active delegation; strictly
    in order; one person one step per round (configurable); concurrent
    signatures are serialized by locking the round and the steps.
    """
    __name__ = 'insurance.claim.approval.step'
    _history = True
    approval = fields.Many2One(
        'insurance.claim.approval', "Round", required=True, readonly=True,
        ondelete='CASCADE')
    sequence = fields.Integer("Sequence", required=True, readonly=True)
    level = fields.Many2One(
        'insurance.approval.level', "Level", readonly=True,
        ondelete='RESTRICT')
    group = fields.Many2One(
        'res.group', "Group", required=True, readonly=True,
        ondelete='RESTRICT')
    state = fields.Selection(
        STEP_STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    signed_by = fields.Many2One('res.user', "Signed by", readonly=True)
    signed_at = fields.DateTime("Signed at", readonly=True)
    on_behalf_of = fields.Many2One(
        'res.user', "On Behalf of", readonly=True)
    signer_level = fields.Integer(
        "Signer Level", readonly=True,
        help="The highest level held by the signer (or by the holder he "
        "signs for).")
    _signable = {'readonly': Eval('state') != 'to_sign'}
    comment = fields.Text("Comment", states=_signable,
        help="Required to reject: the reason.")
    condition_amount = fields.Numeric(
        "Condition: Payment Amount", digits=(16, 2), states=_signable)
    condition_coverage = fields.Many2One(
        'insurance.policy.coverage', "Condition: Coverage",
        states=_signable,
        domain=[('policy', '=', Eval('policy', -1))])
    condition_text = fields.Text("Conditions", states=_signable)
    waive_adjuster = fields.Boolean(
        "Waive Adjuster", states=_signable,
        help="Approve without an assigned adjuster (level 4 and above).")
    words_by = fields.Many2One(
        'res.user', "Comment Written by", readonly=True,
        help="Who wrote the comment and conditions: only the signer may.")
    policy = fields.Function(fields.Many2One(
            'insurance.policy', "Policy"), 'on_change_with_policy')
    claim = fields.Function(fields.Many2One(
            'insurance.claim', "Claim"), 'on_change_with_claim',
        searcher='search_claim')
    kind = fields.Function(fields.Selection(KINDS, "Kind"),
        'on_change_with_kind', searcher='search_kind')
    amount = fields.Function(fields.Numeric(
            "Amount", digits=(16, 2)), 'on_change_with_amount')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('approval')
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality(cardinality='low')),
                where=t.state == 'to_sign'))
        cls._order = [
            ('approval', 'DESC'), ('sequence', 'ASC'), ('id', 'ASC')]
        cls._buttons.update({
                'sign': {
                    'invisible': Eval('state') != 'to_sign',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'to_sign',
                    'readonly': ~Eval('comment'),
                    'depends': ['state', 'comment'],
                    },
                })

    @staticmethod
    def default_state():
        return 'waiting'

    @staticmethod
    def default_waive_adjuster():
        return False

    @fields.depends('approval', '_parent_approval.claim')
    def on_change_with_claim(self, name=None):
        return self.approval.claim if self.approval else None

    @fields.depends('approval', '_parent_approval.claim')
    def on_change_with_policy(self, name=None):
        if self.approval and self.approval.claim:
            return self.approval.claim.policy

    @fields.depends('approval', '_parent_approval.kind')
    def on_change_with_kind(self, name=None):
        return self.approval.kind if self.approval else None

    @fields.depends('approval', '_parent_approval.amount')
    def on_change_with_amount(self, name=None):
        return self.approval.amount if self.approval else None

    @classmethod
    def search_claim(cls, name, clause):
        return [('approval.claim' + clause[0][len(name):],)
            + tuple(clause[1:])]

    @classmethod
    def search_kind(cls, name, clause):
        return [('approval.kind',) + tuple(clause[1:])]

    def get_rec_name(self, name):
        label = self.level.rec_name if self.level else self.group.rec_name
        return '%s / %s' % (self.approval.rec_name, label)

    def holders(self):
        "The users who may sign the step directly"
        pool = Pool()
        User = pool.get('res.user')
        with without_check_access():
            return User.search([('groups', '=', self.group.id)])

    def signer_for(self, user_id, date=None):
        """Return (signer level, on behalf of) for the user or raise

        The user signs as a member of the step's group or a holder of a
        higher level, else on behalf of a holder who delegated to him.
        """
        pool = Pool()
        Level = pool.get('insurance.approval.level')
        Delegation = pool.get('insurance.approval.delegation')
        Configuration = pool.get('insurance.configuration')
        date = date or now().date()
        four_eyes = Configuration(1).approval_four_eyes
        signers = set()
        for other in self.approval.steps:
            if other.state == 'signed' and other.id != self.id:
                signers.add(other.signed_by.id)
                if other.on_behalf_of:
                    signers.add(other.on_behalf_of.id)

        def eligible(uid):
            levels = Level.levels_of_user(uid)
            if self.level:
                if any(l >= self.level.level for l in levels):
                    return max(levels)
                return None
            if self.group.id in _user_group_ids(uid):
                return max(levels, default=0)
            return None

        if four_eyes and user_id in signers:
            raise ApprovalSignError(gettext(
                    'insurance_claims.msg_approval_four_eyes',
                    step=self.rec_name))
        level = eligible(user_id)
        if level is not None:
            return level, None
        for holder in Delegation.delegators(user_id, date):
            if four_eyes and holder.id in signers:
                continue
            level = eligible(holder.id)
            if level is not None:
                return level, holder
        raise ApprovalSignError(gettext(
                'insurance_claims.msg_approval_not_signer',
                step=self.rec_name,
                level=(self.level.rec_name if self.level
                    else self.group.rec_name)))

    def _check_turn(self):
        if self.approval.state != 'pending':
            raise ApprovalSignError(gettext(
                    'insurance_claims.msg_approval_not_pending',
                    approval=self.approval.rec_name))
        if self.state != 'to_sign':
            if self.state in {'signed', 'rejected'}:
                message = 'insurance_claims.msg_approval_step_done'
            else:
                message = 'insurance_claims.msg_approval_out_of_order'
            raise ApprovalSignError(gettext(message, step=self.rec_name))

    def check_adjuster(self):
        "From the adjuster level an adjuster or a waiver is needed"
        config = Pool().get('insurance.configuration')(1)
        approval = self.approval
        if (approval.reserve_level is None
                or approval.reserve_level < config.adjuster_level
                or not self.level
                or self.level.level < config.adjuster_level
                or approval.adjuster_waived_by
                or approval.claim.has_adjuster()):
            return None
        if self.waive_adjuster and (self.comment or '').strip():
            return Transaction().user
        raise ApprovalSignError(gettext(
                'insurance_claims.msg_approval_adjuster_required',
                claim=approval.claim.rec_name, level=config.adjuster_level))

    def check_words(self, user_id):
        "Raise if the comment or conditions are another user's words"
        if (self.words_by and self.words_by.id != user_id
                and any(getattr(self, n) for n in SIGNER_FIELDS)):
            raise ApprovalSignError(gettext(
                    'insurance_claims.msg_approval_step_words_other',
                    step=self.rec_name, user=self.words_by.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if (mode == 'write' and set(values) & SIGNER_FIELDS
                and not Transaction().context.get(ENGINE)):
            values['words_by'] = Transaction().user
        return values

    @classmethod
    def _lock(cls, steps):
        "Lock the rounds and their steps, then re-read them"
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        rounds = Approval.browse(list({s.approval.id for s in steps}))
        Approval.lock(rounds)
        cls.lock([s for r in rounds for s in r.steps])
        return cls.browse(sorted({s.id for s in steps}))

    @classmethod
    @ModelView.button
    def sign(cls, steps):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        user_id = Transaction().user
        steps = cls._lock(steps)
        steps.sort(key=lambda s: (s.approval.id, s.sequence))
        done = []
        for step in steps:
            step._check_turn()
            level, behalf = step.signer_for(user_id)
            step.check_words(user_id)
            waiver = step.check_adjuster()
            with Transaction().set_context(**{ENGINE: True}):
                cls.write([step], {
                        'state': 'signed',
                        'signed_by': user_id,
                        'signed_at': now(),
                        'on_behalf_of': behalf.id if behalf else None,
                        'signer_level': level,
                        })
                approval = step.approval
                values = approval._merge_conditions(step)
                if waiver:
                    values['adjuster_waived_by'] = waiver
                nexts = [s for s in approval.steps
                    if s.sequence > step.sequence and s.state == 'waiting']
                if nexts:
                    cls.write([nexts[0]], {'state': 'to_sign'})
                if values:
                    Approval.write([approval], values)
            approval = Approval(approval.id)
            if nexts:
                nxt = cls(nexts[0].id)
                notify(nxt.holders(),
                    gettext('insurance_claims.msg_approval_to_sign',
                        claim=approval.claim.rec_name),
                    approval.mail_subject_text(), [approval])
            else:
                done.append(approval)
        if done:
            Approval._approve(done)

    @classmethod
    @ModelView.button
    def reject(cls, steps):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        user_id = Transaction().user
        steps = cls._lock(steps)
        for step in steps:
            step._check_turn()
            if not (step.comment or '').strip():
                raise ApprovalSignError(gettext(
                        'insurance_claims.msg_approval_reject_reason',
                        step=step.rec_name))
            level, behalf = step.signer_for(user_id)
            step.check_words(user_id)
            with Transaction().set_context(**{ENGINE: True}):
                cls.write([step], {
                        'state': 'rejected',
                        'signed_by': user_id,
                        'signed_at': now(),
                        'on_behalf_of': behalf.id if behalf else None,
                        'signer_level': level,
                        })
            Approval._reject([Approval(step.approval.id)], step.comment)

    @classmethod
    def check_modification(cls, mode, steps, values=None, external=False):
        super().check_modification(
            mode, steps, values=values, external=external)
        transaction = Transaction()
        engine = transaction.context.get(ENGINE)
        if mode == 'delete':
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_delete'))
        if mode == 'create':
            if not engine:
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_engine_only'))
            return
        for step in steps:
            if step.state in {'signed', 'rejected'}:
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_step_immutable',
                        step=step.rec_name))
        if engine:
            return
        if set(values) - SIGNER_FIELDS:
            raise ApprovalError(gettext(
                    'insurance_claims.msg_approval_engine_only'))
        for step in steps:
            if step.state != 'to_sign' or step.approval.state != 'pending':
                raise ApprovalSignError(gettext(
                        'insurance_claims.msg_approval_out_of_order',
                        step=step.rec_name))
            if transaction.user:
                step.signer_for(transaction.user)

    @classmethod
    def copy(cls, steps, default=None):
        if steps:
            raise ApprovalError(gettext('insurance_claims.msg_approval_copy'))
        return super().copy(steps, default=default)


class Claim(metaclass=PoolMeta):
    """Claim with its approvals

    ``approvals`` (rounds), ``approved_amount`` (amount of the latest
    approved ``claim`` round or of a ``reserve_change`` round approved after
    it), ``approval_conditions()`` (what binds the payments),
    ``approval_analysis`` and ``digital_file_url`` (copied into the rounds
    and their e-mail), ``requested_reserve``/``reserve_change_reason`` and
    the button ``request_reserve_change`` on approved claims.
    """
    __name__ = 'insurance.claim'
    approvals = fields.One2Many(
        'insurance.claim.approval', 'claim', "Approvals", readonly=True)
    approved_amount = fields.Function(fields.Numeric(
            "Approved Amount", digits=(16, 2)), 'get_approved_amount')
    approval_level = fields.Function(fields.Integer(
            "Approval Level",
            help="The top approval level of the current reserve."),
        'get_approval_level')
    approval_analysis = fields.Text(
        "Analysis for Approval",
        states={'readonly': ~Eval('state').in_(['open', 'approved'])},
        help="The handler's report and analysis of the claim, sent to the "
        "approvers.")
    digital_file_url = fields.Char(
        "Digitized File",
        states={'readonly': ~Eval('state').in_(['open', 'approved'])},
        help="The address of the shared folder of the digitized file.")
    approval_rejection_reason = fields.Text(
        "Approval Rejection Reason", readonly=True)
    requested_reserve = fields.Numeric(
        "Requested Reserve", digits=(16, 2),
        states={'invisible': Eval('state') != 'approved'},
        help="The new reserve of an approved claim; it needs an approval.")
    reserve_change_reason = fields.Text(
        "Reserve Change Reason",
        states={'invisible': Eval('state') != 'approved'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'request_reserve_change': {
                    'invisible': Eval('state') != 'approved',
                    'readonly': ~Bool(Eval('requested_reserve')),
                    'depends': ['state', 'requested_reserve'],
                    },
                })

    @classmethod
    def _positive_amounts(cls):
        return super()._positive_amounts() + ['requested_reserve']

    @classmethod
    def copy(cls, claims, default=None):
        default = default.copy() if default is not None else {}
        for name in ['approvals', 'approval_rejection_reason',
                'requested_reserve', 'reserve_change_reason']:
            default.setdefault(name, None)
        return super().copy(claims, default=default)

    def _approved_rounds(self):
        "The approved claim round and the reserve changes after it"
        rounds = sorted(
            [r for r in self.approvals if r.state == 'approved'
                and r.kind in {'claim', 'reserve_change'}],
            key=lambda r: (r.decided_at, r.id))
        result = []
        for record in rounds:
            if record.kind == 'claim':
                result = [record]
            elif result:
                result.append(record)
        return result

    @classmethod
    def get_approved_amount(cls, claims, name):
        result = {}
        for claim in claims:
            rounds = claim._approved_rounds()
            result[claim.id] = rounds[-1].amount if rounds else None
        return result

    @classmethod
    def get_approval_level(cls, claims, name):
        Approval = Pool().get('insurance.claim.approval')
        result = {}
        for claim in claims:
            try:
                result[claim.id] = (Approval.reserve_level_of(claim)
                    if claim.reserve_amount else None)
            except ApprovalError:
                result[claim.id] = None
        return result

    def last_top_approval(self, top_level):
        "The latest approved round of the claim signed up to the top level"
        rounds = [r for r in self._approved_rounds()
            if r.top_level == top_level]
        return rounds[-1] if rounds else None

    def approval_conditions(self):
        """Return what binds the payments of the claim

        A dict: ``approved_amount``, ``amount`` (the most restrictive
        payment amount set by the approvers, None when none was set),
        ``coverages`` (coverages named as condition), ``texts`` (the other
        conditions) and ``rounds`` (the approved rounds they come from).
        """
        rounds = self._approved_rounds()
        amounts = [r.condition_amount for r in rounds
            if r.condition_amount is not None]
        return {
            'approved_amount': rounds[-1].amount if rounds else None,
            'amount': amounts[-1] if amounts else None,
            'coverages': [r.condition_coverage for r in rounds
                if r.condition_coverage],
            'texts': [r.condition_text for r in rounds if r.condition_text],
            'rounds': rounds,
            }

    def undigitized_documents(self):
        "Received mandatory documents without attachment"
        return [d for d in self.documents
            if d.mandatory and d.state == 'received'
            and not (d.attachment_id or d.attachment)]

    def has_adjuster(self):
        return any(e.kind == 'adjuster' and e.adjuster
            for e in self.experts)

    @classmethod
    def _create_approval_round(cls, claims):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        super()._create_approval_round(claims)
        for claim in claims:
            if any(r.state == 'pending' and r.kind == 'claim'
                    for r in claim.approvals):
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_pending_exists',
                        claim=claim.rec_name))
            Approval.create_round(claim, 'claim', claim.reserve_amount)
        cls.write(claims, {'approval_rejection_reason': None})

    def approval_approved(self, approval):
        "Called by the engine when a round without origin is approved"
        pool = Pool()
        Reserve = pool.get('insurance.claim.reserve')
        Approval = pool.get('insurance.claim.approval')
        if approval.kind == 'claim' and self.state == 'approval':
            self.__class__.approve([self])
        elif approval.kind == 'reserve_change':
            with Transaction().set_context(_insurance_reserve_approved=True):
                reserve = Reserve(claim=self, kind='adjustment',
                    amount=approval.amount, estimated=False,
                    reason=approval.reason or gettext(
                        'insurance_claims.msg_reserve_reason_approved'))
                reserve.save()
            with Transaction().set_context(**{ENGINE: True}):
                Approval.write([approval], {'origin': str(reserve)})
            self.__class__.write([self], {
                    'requested_reserve': None,
                    'reserve_change_reason': None,
                    })

    def approval_rejected(self, approval):
        "Called by the engine when a round without origin is rejected"
        if approval.kind == 'claim' and self.state == 'approval':
            self.__class__.write([self], {
                    'approval_rejection_reason': approval.rejection_reason,
                    })
            self.__class__.reject_approval([self])

    @classmethod
    @ModelView.button
    def request_reserve_change(cls, claims):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        for claim in claims:
            if claim.state != 'approved':
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_reserve_state',
                        claim=claim.rec_name))
            if not claim.requested_reserve or claim.requested_reserve < 0:
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_amount_positive',
                        claim=claim.rec_name))
            if not (claim.reserve_change_reason or '').strip():
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_reserve_reason',
                        claim=claim.rec_name))
            if any(r.state == 'pending' and r.kind == 'reserve_change'
                    for r in claim.approvals):
                raise ApprovalError(gettext(
                        'insurance_claims.msg_approval_pending_exists',
                        claim=claim.rec_name))
            Approval.create_round(claim, 'reserve_change',
                claim.requested_reserve, reason=claim.reserve_change_reason)

    @classmethod
    @ModelView.button
    def decline(cls, claims):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        super().decline(claims)
        pending = [r for c in claims for r in c.approvals
            if r.state == 'pending' and r.kind == 'claim']
        if pending:
            Approval.cancel(pending)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    insurance_contracted_provider = fields.Boolean(
        "Contracted Claims Provider",
        help="A provider under contract with the company (e.g. the medical "
        "auditor): its fees are ordinary claim expenses, never "
        "extraordinary.")


class ResolutionReport(Report):
    """Claim resolution ("Resolución de Reclamo") of a round

    ODT, converted to PDF when LibreOffice is installed.
    """
    __name__ = 'insurance.claim.resolution'

    @classmethod
    def execute(cls, ids, data):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        company_id = Transaction().context.get('company')
        if ids:
            company_id = Approval(ids[0]).claim.company.id
        with Transaction().set_context(company=company_id):
            return super().execute(ids, data)

    @classmethod
    def convert(cls, report, data, **kwargs):
        output = report.extension or report.template_extension
        if output == 'pdf' and not (shutil.which('soffice')
                or shutil.which('libreoffice')):
            return report.template_extension, data
        return super().convert(report, data, **kwargs)

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        company_id = Transaction().context.get('company')
        context['company'] = Company(company_id) if company_id else None
        context['today'] = Date.today()
        return context
