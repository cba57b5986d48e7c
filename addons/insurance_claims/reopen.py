# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Reopening of a paid or declined claim [003 §4.2.4.d], SPEC §2.9"""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .common import now, transition
from .exceptions import ReopenError

_DRAFT = {'readonly': Eval('state') != 'draft'}


class Reopen(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    """Reopening request of a claim

    The fields of the source's request table: region, occurrence date,
    close date, request date, claim, policy, requested reserve (with its
    approval-currency value), insured, executive, short description and
    reason.  ``request`` opens an approval round of kind ``reopen`` whose
    single step belongs to the national claims office; its signature
    reopens the claim with a ``reopen`` reserve line.
    """
    __name__ = 'insurance.claim.reopen'
    _rec_name = 'description'
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, states=_DRAFT,
        domain=[If(Eval('state') == 'draft',
                ('state', 'in', ['closed', 'declined']),
                ())],
        ondelete='RESTRICT')
    company = fields.Function(fields.Many2One(
            'company.company', "Company"), 'on_change_with_company')
    region = fields.Many2One(
        'insurance.region', "Region", required=True, states=_DRAFT)
    policy = fields.Function(fields.Many2One(
            'insurance.policy', "Policy"), 'on_change_with_policy')
    insured = fields.Function(fields.Many2One(
            'party.party', "Insured"), 'on_change_with_insured')
    executive = fields.Many2One(
        'company.employee', "Executive", states=_DRAFT)
    occurred_on = fields.Date("Occurrence Date", readonly=True)
    close_date = fields.Date("Close Date", states=_DRAFT)
    request_date = fields.Date("Request Date", required=True, states=_DRAFT)
    requested_reserve = fields.Numeric(
        "Requested Reserve", digits=(16, 2), required=True, states=_DRAFT)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    requested_reserve_approval_currency = fields.Function(fields.Numeric(
            "Requested Reserve in Approval Currency", digits=(16, 2)),
        'get_requested_reserve_approval_currency')
    description = fields.Text(
        "Short Description", required=True, states=_DRAFT,
        help="A short description of the loss.")
    reason = fields.Text("Reason", required=True, states=_DRAFT)
    approval = fields.Many2One(
        'insurance.claim.approval', "Approval", readonly=True)
    requested_by = fields.Many2One('res.user', "Requested by", readonly=True)
    decided_at = fields.DateTime("Decided at", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('requested', "Requested"),
            ('approved', "Approved"),
            ('refused', "Refused"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.state, Index.Equality(cardinality='low'))))
        cls.__access__.add('claim')
        cls._order = [('request_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'requested'),
            ('draft', 'cancelled'),
            ('requested', 'approved'),
            ('requested', 'refused'),
            ('requested', 'cancelled'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'requested']),
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def default_request_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('claim', '_parent_claim.company')
    def on_change_with_company(self, name=None):
        return self.claim.company if self.claim else None

    @fields.depends('claim', '_parent_claim.policy')
    def on_change_with_policy(self, name=None):
        return self.claim.policy if self.claim else None

    @fields.depends('claim', '_parent_claim.insured')
    def on_change_with_insured(self, name=None):
        return self.claim.insured if self.claim else None

    @fields.depends('claim', '_parent_claim.currency')
    def on_change_with_currency(self, name=None):
        return self.claim.currency if self.claim else None

    @fields.depends('claim', 'region', 'executive', 'close_date',
        'description')
    def on_change_claim(self):
        if not self.claim:
            return
        claim = self.claim
        self.region = self.region or claim.occurrence_region
        self.executive = self.executive or claim.executive
        self.close_date = self.close_date or claim_close_date(claim)
        self.occurred_on = (claim.occurred_at.date()
            if claim.occurred_at else None)
        if not self.description:
            self.description = claim.description

    def get_rec_name(self, name):
        return self.claim.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('claim.rec_name',) + tuple(clause[1:])]

    @classmethod
    def get_requested_reserve_approval_currency(cls, reopens, name):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        result = {}
        for reopen in reopens:
            value = None
            if reopen.requested_reserve is not None:
                try:
                    value, _ = Approval.to_approval_currency(
                        reopen.requested_reserve, reopen.claim.currency,
                        reopen.request_date, reopen.claim)
                except Exception:
                    value = None
            result[reopen.id] = value
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('claim'):
            claim = Claim(values['claim'])
            values.setdefault('region', claim.occurrence_region.id)
            if claim.executive:
                values.setdefault('executive', claim.executive.id)
            if claim.occurred_at:
                values['occurred_on'] = claim.occurred_at.date()
            values.setdefault('close_date', claim_close_date(claim))
        return values

    @classmethod
    def validate_fields(cls, reopens, field_names):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        super().validate_fields(reopens, field_names)
        Configuration(1).check_maximum_amounts(
            reopens, ['requested_reserve'], field_names)
        for reopen in reopens:
            if reopen.requested_reserve is not None \
                    and reopen.requested_reserve <= 0:
                raise ReopenError(gettext(
                        'insurance_claims.msg_reopen_reserve_positive',
                        claim=reopen.claim.rec_name))

    @classmethod
    def check_modification(cls, mode, reopens, values=None, external=False):
        super().check_modification(
            mode, reopens, values=values, external=external)
        if mode == 'delete':
            for reopen in reopens:
                if reopen.state != 'draft':
                    raise ReopenError(gettext(
                            'insurance_claims.msg_reopen_delete',
                            claim=reopen.claim.rec_name))

    @classmethod
    @ModelView.button
    @transition('requested')
    def request(cls, reopens):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        for reopen in reopens:
            if reopen.claim.state not in {'closed', 'declined'}:
                raise ReopenError(gettext(
                        'insurance_claims.msg_reopen_claim_state',
                        claim=reopen.claim.rec_name))
            reopen.approval = Approval.create_round(
                reopen.claim, 'reopen', reopen.requested_reserve,
                origin=reopen, reason=reopen.reason)
            reopen.requested_by = Transaction().user
        cls.save(reopens)

    @classmethod
    @ModelView.button
    @transition('cancelled')
    def cancel(cls, reopens):
        pool = Pool()
        Approval = pool.get('insurance.claim.approval')
        pending = [r.approval for r in reopens
            if r.approval and r.approval.state == 'pending']
        if pending:
            Approval.cancel(pending)

    def _pending_steps(self):
        if not self.approval or self.approval.state != 'pending':
            raise ReopenError(gettext(
                    'insurance_claims.msg_reopen_not_requested',
                    claim=self.claim.rec_name))
        return [s for s in self.approval.steps if s.state == 'to_sign']

    @classmethod
    @ModelView.button
    def approve(cls, reopens):
        "Sign the national office's step of the round"
        pool = Pool()
        Step = pool.get('insurance.claim.approval.step')
        Step.sign([s for r in reopens for s in r._pending_steps()])

    @classmethod
    @ModelView.button
    def refuse(cls, reopens):
        "Reject the national office's step; its comment is the reason"
        pool = Pool()
        Step = pool.get('insurance.claim.approval.step')
        Step.reject([s for r in reopens for s in r._pending_steps()])

    def approval_approved(self, approval):
        "Reopen the claim with a reopen reserve line"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Reserve = pool.get('insurance.claim.reserve')
        claim = self.claim
        with Transaction().set_context(_insurance_reopen_approved=True):
            Claim.reopen([claim])
        Reserve(claim=claim, kind='reopen', amount=self.requested_reserve,
            estimated=False, reason=self.reason).save()
        self.__class__.write([self], {'decided_at': now()})
        self._set_state('approved')

    def approval_rejected(self, approval):
        self.__class__.write([self], {'decided_at': now()})
        self._set_state('refused')

    def approval_cancelled(self, approval):
        if self.state == 'requested':
            self._set_state('cancelled')

    def _set_state(self, state):
        if (self.state, state) in self._transitions:
            self.__class__.write([self], {'state': state})


def claim_close_date(claim):
    "The date the claim was closed or declined"
    releases = [r.date for r in claim.reserves or [] if r.kind == 'release']
    if releases:
        return max(releases).date()
    if claim.decided_at:
        return claim.decided_at.date()
    return None

