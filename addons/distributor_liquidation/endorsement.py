# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company import CompanyReport
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .configuration import field_string
from .exceptions import (
    DateValidationError, EndorsementDeleteError, EndorsementError)
from .liquidation import refuse_wrong_state
from .plan import default_distributor

KINDS = [
    ('plan_cancellation', "Policy Cancellation for Plan Liquidation"),
    ('special_equipment', "Special Equipment / Adaptation"),
    ('other', "Other Movement"),
    ('data_correction', "Data Correction (Endorsement B)"),
    ]
FIELDS_BY_KIND = {
    'plan_cancellation': ['cancellation_from', 'charge_removed_from'],
    'special_equipment': ['effective_from', 'charge_from'],
    'other': ['effective_from', 'charge_from', 'reason'],
    'data_correction': [
        'correction_subject', 'current_value', 'new_value', 'reason'],
    }
# Ordered pairs (start, end): the end may not come before the start
DATE_PAIRS = [
    ('cancellation_from', 'charge_removed_from'),
    ('effective_from', 'charge_from'),
    ]


class Endorsement(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'distributor.endorsement'
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    date = fields.Date("Date", required=True, states=_states)
    agency = fields.Many2One(
        'party.party', "Agency", required=True, states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends=['company'],
        help="The dealer that asks for the endorsement.")
    plan = fields.Many2One(
        'distributor.plan', "Plan", required=True, states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Bool(Eval('agency')),
                ('distributor', '=', Eval('agency', -1)),
                ()),
            ])
    customer = fields.Function(fields.Many2One(
            'party.party', "Customer",
            context={
                'company': Eval('company', -1),
                },
            depends=['company']),
        'on_change_with_customer')
    liquidation = fields.Many2One(
        'distributor.liquidation', "Liquidation Request", states=_states,
        domain=[
            ('plan', '=', Eval('plan', -1)),
            ])
    bid_number = fields.Char("Bid Number", states=_states)
    policy_number = fields.Char("Policy Number", states=_states)
    kind = fields.Selection(
        KINDS, "Requested Movement", required=True, states=_states)
    kind_string = kind.translated('kind')
    cancellation_from = fields.Date(
        "Cancellation From", states=_states,
        help="See the validity in the insurance summary of the customer's "
        "statement.")
    charge_removed_from = fields.Date("Remove Charge From", states=_states)
    effective_from = fields.Date(
        "Effective From", states=_states,
        help="See the validity in the insurance summary of the customer's "
        "statement.")
    charge_from = fields.Date("Charge From", states=_states)
    correction_subject = fields.Selection([
            (None, ""),
            ('customer', "Customer General Data"),
            ('vehicle', "Vehicle General Data"),
            ], "Correction Of", states=_states)
    correction_subject_string = correction_subject.translated(
        'correction_subject')
    current_value = fields.Text(
        "Current Value", states=_states,
        help='What the policy says now ("Dice").')
    new_value = fields.Text(
        "New Value", states=_states,
        help='What the policy must say ("Debe decir").')
    reason = fields.Text("Reason", states=_states)
    attachments = fields.One2Many(
        'distributor.endorsement.attachment', 'endorsement', "Attachments",
        states=_states)
    submitted_on = fields.Date("Submitted On", readonly=True)
    decided_by = fields.Many2One('res.user', "Decided By", readonly=True)
    decided_on = fields.Date("Decided On", readonly=True)
    rejection_reason = fields.Text(
        "Rejection Reason",
        states={
            'readonly': Eval('state') != 'submitted',
            })
    state = fields.Selection([
            ('draft', "Draft"),
            ('submitted', "Submitted"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'approved'),
            ('submitted', 'rejected'),
            ('rejected', 'draft'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'submitted',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'submitted',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'rejected',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_agency(cls):
        return default_distributor()

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_kind():
        return 'plan_cancellation'

    @fields.depends('plan', '_parent_plan.customer')
    def on_change_with_customer(self, name=None):
        return self.plan.customer if self.plan else None

    @fields.depends('plan', 'policy_number', 'agency',
        '_parent_plan.auto_policy_number', '_parent_plan.distributor')
    def on_change_plan(self):
        if self.plan:
            if not self.policy_number:
                self.policy_number = self.plan.auto_policy_number
            if not self.agency:
                self.agency = self.plan.distributor

    def get_rec_name(self, name):
        return '%s: %s' % (self.plan.rec_name, self.kind_string)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('plan.rec_name',) + tuple(clause[1:])]

    def required_attachments(self):
        "Return the attachments to join, each as the set of kinds that fit"
        if self.kind == 'special_equipment':
            return [{'quote'}, {'equipment_invoice'}]
        elif self.kind == 'other':
            return [{'payment_receipt'}]
        elif self.kind == 'data_correction':
            if self.correction_subject == 'customer':
                return [{'proof_of_address', 'official_id'}]
            elif self.correction_subject == 'vehicle':
                return [{'vehicle_invoice'}]
        return []

    @classmethod
    def validate_fields(cls, endorsements, field_names):
        super().validate_fields(endorsements, field_names)
        cls.check_dates(endorsements, field_names)

    @classmethod
    def check_dates(cls, endorsements, field_names=None):
        for endorsement in endorsements:
            for start, end in DATE_PAIRS:
                if field_names and not (field_names & {start, end}):
                    continue
                start_date = getattr(endorsement, start)
                end_date = getattr(endorsement, end)
                if start_date and end_date and end_date < start_date:
                    raise DateValidationError(gettext(
                            'distributor_liquidation.msg_date_before',
                            field=field_string(cls, end),
                            other=field_string(cls, start),
                            record=endorsement.rec_name))

    def check_complete(self):
        "Raise when a field or an attachment the kind needs is missing"
        Attachment = Pool().get('distributor.endorsement.attachment')
        for name in FIELDS_BY_KIND[self.kind]:
            value = getattr(self, name)
            if not value or (isinstance(value, str) and not value.strip()):
                raise EndorsementError(gettext(
                        'distributor_liquidation.msg_endorsement_missing',
                        field=field_string(self.__class__, name),
                        kind=self.kind_string,
                        endorsement=self.rec_name))
        kinds = dict(Attachment.fields_get(['kind'])['kind']['selection'])
        joined = {a.kind for a in self.attachments if a.data}
        for alternatives in self.required_attachments():
            if not (alternatives & joined):
                raise EndorsementError(gettext(
                        'distributor_liquidation'
                        '.msg_endorsement_attachment_missing',
                        attachment=' / '.join(
                            sorted(kinds[k] for k in alternatives)),
                        kind=self.kind_string,
                        endorsement=self.rec_name))

    @classmethod
    def check_state(cls, endorsements, allowed, target):
        states = dict(cls.fields_get(['state'])['state']['selection'])
        for endorsement in endorsements:
            if endorsement.state not in allowed:
                raise EndorsementError(gettext(
                        'distributor_liquidation'
                        '.msg_endorsement_wrong_state',
                        endorsement=endorsement.rec_name,
                        state=states[endorsement.state],
                        target=states[target]))

    @classmethod
    def check_modification(
            cls, mode, endorsements, values=None, external=False):
        super().check_modification(
            mode, endorsements, values=values, external=external)
        if mode == 'delete':
            for endorsement in endorsements:
                if endorsement.state != 'draft':
                    raise EndorsementDeleteError(gettext(
                            'distributor_liquidation'
                            '.msg_endorsement_delete',
                            endorsement=endorsement.rec_name))

    @classmethod
    @ModelView.button
    @refuse_wrong_state('submitted')
    @Workflow.transition('submitted')
    def submit(cls, endorsements):
        pool = Pool()
        Date = pool.get('ir.date')
        for endorsement in endorsements:
            endorsement.check_complete()
        cls.write(endorsements, {
                'submitted_on': Date.today(),
                'rejection_reason': None,
                })

    @classmethod
    @ModelView.button
    @refuse_wrong_state('approved')
    @Workflow.transition('approved')
    def approve(cls, endorsements):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.lock(endorsements)
        cls.write(endorsements, {
                'decided_by': Transaction().user,
                'decided_on': Date.today(),
                })

    @classmethod
    @ModelView.button
    @refuse_wrong_state('rejected')
    @Workflow.transition('rejected')
    def reject(cls, endorsements):
        pool = Pool()
        Date = pool.get('ir.date')
        for endorsement in endorsements:
            if not (endorsement.rejection_reason or '').strip():
                raise EndorsementError(gettext(
                        'distributor_liquidation.msg_endorsement_missing',
                        field=field_string(cls, 'rejection_reason'),
                        kind=endorsement.kind_string,
                        endorsement=endorsement.rec_name))
        cls.lock(endorsements)
        cls.write(endorsements, {
                'decided_by': Transaction().user,
                'decided_on': Date.today(),
                })

    @classmethod
    @ModelView.button
    @refuse_wrong_state('draft')
    @Workflow.transition('draft')
    def draft(cls, endorsements):
        cls.write(endorsements, {
                'decided_by': None,
                'decided_on': None,
                })


class Attachment(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'distributor.endorsement.attachment'
    endorsement = fields.Many2One(
        'distributor.endorsement', "Endorsement", required=True,
        ondelete='CASCADE')
    kind = fields.Selection([
            ('quote', "Quote"),
            ('equipment_invoice', "Equipment / Adaptation Invoice"),
            ('payment_receipt', "Policy Payment Receipt"),
            ('tax_certificate', "Tax Identification Certificate (RFC)"),
            ('proof_of_address', "Proof of Address"),
            ('official_id', "Official ID"),
            ('vehicle_invoice', "Vehicle Invoice"),
            ('other', "Other"),
            ], "Kind", required=True)
    kind_string = kind.translated('kind')
    description = fields.Char("Description")
    data = fields.Binary("File", filename='filename')
    filename = fields.Char("File Name")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('endorsement')

    def get_rec_name(self, name):
        return self.filename or self.description or self.kind_string


class EndorsementReport(CompanyReport):
    __name__ = 'distributor.endorsement'
