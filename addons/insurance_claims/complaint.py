# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Letters of the regulator (APS) about claims [003 §4.4.1.e]"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import notify, now, transition
from .exceptions import ComplaintError


class Complaint(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'insurance.claim.complaint'
    _rec_name = 'reference'
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'received'})
    reference = fields.Char(
        "Reference", required=True,
        states={'readonly': Eval('state') != 'received'},
        help="Number of the regulator's letter.")
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True,
        states={'readonly': Eval('state') != 'received'},
        domain=[('company', '=', Eval('company', -1))])
    received_on = fields.Date(
        "Received on", required=True,
        states={'readonly': Eval('state') != 'received'})
    forward_due = fields.Function(fields.Date(
            "Forward by", help="The letter is forwarded the same day."),
        'on_change_with_forward_due')
    forwarded_at = fields.DateTime("Forwarded at", readonly=True)
    forwarded_late = fields.Function(fields.Boolean(
            "Forwarded Late"), 'get_forwarded_late')
    request = fields.Text(
        "Request", states={'readonly': Eval('state') != 'received'},
        help="What the regulator asks.")
    response = fields.Text(
        "Response", states={
            'readonly': ~Eval('state').in_(['received', 'forwarded']),
            })
    response_approved_by = fields.Many2One(
        'res.user', "Response Approved by", readonly=True)
    response_approved_at = fields.DateTime(
        "Response Approved at", readonly=True)
    sent_on = fields.Date("Answered on", readonly=True)
    state = fields.Selection([
            ('received', "Received"),
            ('forwarded', "Forwarded"),
            ('to_approve', "Response to Approve"),
            ('approved', "Response Approved"),
            ('sent', "Answered"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        cls._order = [('received_on', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('received', 'forwarded'),
            ('forwarded', 'to_approve'),
            ('to_approve', 'forwarded'),
            ('to_approve', 'approved'),
            ('approved', 'sent'),
            }
        cls._buttons.update({
                'forward': {
                    'invisible': Eval('state') != 'received',
                    'depends': ['state'],
                    },
                'submit_response': {
                    'invisible': Eval('state') != 'forwarded',
                    'readonly': ~Eval('response'),
                    'depends': ['state', 'response'],
                    },
                'reject_response': {
                    'invisible': Eval('state') != 'to_approve',
                    'depends': ['state'],
                    },
                'approve_response': {
                    'invisible': Eval('state') != 'to_approve',
                    'depends': ['state'],
                    },
                'send': {
                    'invisible': Eval('state') != 'approved',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'received'

    @classmethod
    def default_received_on(cls):
        return now().date()

    @fields.depends('received_on')
    def on_change_with_forward_due(self, name=None):
        return self.received_on

    def get_forwarded_late(self, name):
        if self.received_on:
            forwarded = (self.forwarded_at.date() if self.forwarded_at
                else now().date())
            return forwarded > self.received_on
        return False

    @classmethod
    def validate_fields(cls, complaints, field_names):
        super().validate_fields(complaints, field_names)
        today = now().date()
        for complaint in complaints:
            if complaint.received_on and complaint.received_on > today:
                raise ComplaintError(gettext(
                        'insurance_claims.msg_complaint_future',
                        complaint=complaint.rec_name))

    @classmethod
    def check_modification(cls, mode, complaints, values=None,
            external=False):
        super().check_modification(
            mode, complaints, values=values, external=external)
        if mode == 'delete':
            for complaint in complaints:
                if complaint.state != 'received':
                    raise ComplaintError(gettext(
                            'insurance_claims.msg_complaint_delete',
                            complaint=complaint.rec_name))

    @classmethod
    def on_modification(cls, mode, complaints, field_names=None):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        super().on_modification(mode, complaints, field_names=field_names)
        if mode != 'delete':
            Claim.sync_deadlines(
                Claim.browse({c.claim.id for c in complaints}))

    @classmethod
    def _users_of(cls, xml_ids):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        groups = [ModelData.get_id('insurance_claims', x) for x in xml_ids]
        return User.search([('groups', 'in', groups)])

    @classmethod
    @ModelView.button
    @transition('forwarded')
    def forward(cls, complaints):
        "Forward the letter the same day to the deputy manager and analyst"
        cls.write(complaints, {'forwarded_at': now()})
        users = cls._users_of(
            ['group_claims_deputy_manager', 'group_claims_national_office'])
        heads = []
        for complaint in complaints:
            region = complaint.claim.occurrence_region
            head = getattr(region, 'head', None)
            if head:
                heads.extend(Pool().get('res.user').search(
                        [('employees', '=', head.id)]))
            notify(list(users) + heads,
                gettext('insurance_claims.msg_complaint_forwarded',
                    complaint=complaint.rec_name,
                    claim=complaint.claim.rec_name),
                complaint.request or '', [complaint])

    @classmethod
    @ModelView.button
    @transition('to_approve')
    def submit_response(cls, complaints):
        for complaint in complaints:
            if not (complaint.response or '').strip():
                raise ComplaintError(gettext(
                        'insurance_claims.msg_complaint_response',
                        complaint=complaint.rec_name))

    @classmethod
    @ModelView.button
    @transition('forwarded')
    def reject_response(cls, complaints):
        pass

    @classmethod
    @ModelView.button
    @transition('approved')
    def approve_response(cls, complaints):
        "Every response is approved by the national office"
        cls.write(complaints, {
                'response_approved_by': Transaction().user,
                'response_approved_at': now(),
                })

    @classmethod
    @ModelView.button
    @transition('sent')
    def send(cls, complaints):
        cls.write(complaints, {'sent_on': now().date()})


class Deadline(metaclass=PoolMeta):
    __name__ = 'insurance.claim.deadline'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        kind = ('complaint_forwarding', "Regulator Letter Forwarding")
        if kind not in cls.kind.selection:
            cls.kind.selection.append(kind)


class Claim(metaclass=PoolMeta):
    __name__ = 'insurance.claim'
    complaints = fields.One2Many(
        'insurance.claim.complaint', 'claim', "Regulator Letters",
        readonly=True)

    def get_deadline_plan(self):
        plan = super().get_deadline_plan()
        if self.state in {'draft', 'cancelled'}:
            return plan
        letters = [c for c in getattr(self, 'complaints', None) or []
            if c.received_on]
        if letters:
            letter = min(letters, key=lambda c: (c.forwarded_at is not None,
                    c.received_on))
            plan['complaint_forwarding'] = (
                dt.datetime.combine(letter.received_on, dt.time(23, 59, 59)),
                letter.forwarded_at)
        return plan

    @classmethod
    def copy(cls, claims, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('complaints', None)
        return super().copy(claims, default=default)
