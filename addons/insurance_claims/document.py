# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.report import Report
from trytond.transaction import Transaction

from .common import RelationIndexMixin, transition
from .exceptions import DocumentRequestError, DocumentValidationError


class Document(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'insurance.claim.document'
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, ondelete='CASCADE')
    requirement = fields.Many2One(
        'insurance.line.requirement', "Requirement", readonly=True,
        ondelete='SET NULL')
    name = fields.Char("Name", required=True)
    mandatory = fields.Boolean("Mandatory")
    control = fields.Text("Control", help="What the handler must check.")
    state = fields.Selection([
            ('pending', "Pending"),
            ('requested', "Requested"),
            ('received', "Received"),
            ('waived', "Waived"),
            ('rejected', "Rejected"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    requested_on = fields.Date("Requested on", readonly=True)
    received_on = fields.Date(
        "Received on", help="The date of the reception stamp.",
        states={'readonly': Eval('state').in_(['received', 'waived'])})
    attachment = fields.Binary(
        "Attachment", filename='attachment_name', file_id='attachment_id')
    attachment_name = fields.Char("Attachment Name")
    attachment_id = fields.Char("Attachment ID", readonly=True)
    waive_reason = fields.Text(
        "Waive Reason", states={
            'invisible': ~Eval('state').in_(['pending', 'requested',
                    'waived']),
            'readonly': Eval('state') == 'waived',
            })
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        cls._order = [('claim', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('pending', 'requested'),
            ('pending', 'received'),
            ('requested', 'received'),
            ('rejected', 'received'),
            ('pending', 'waived'),
            ('requested', 'waived'),
            ('received', 'rejected'),
            ('rejected', 'requested'),
            }
        cls._buttons.update({
                'receive': {
                    'invisible': ~Eval('state').in_(
                        ['pending', 'requested', 'rejected']),
                    'depends': ['state'],
                    },
                'waive': {
                    'invisible': ~Eval('state').in_(['pending', 'requested']),
                    'readonly': ~Bool(Eval('waive_reason')),
                    'depends': ['state', 'waive_reason'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'received',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'pending'

    @staticmethod
    def default_mandatory():
        return True

    @classmethod
    def from_requirement(cls, claim, requirement):
        return cls(claim=claim, requirement=requirement,
            name=requirement.name, mandatory=requirement.mandatory,
            control=requirement.control, state='pending')

    @classmethod
    def validate_fields(cls, documents, field_names):
        super().validate_fields(documents, field_names)
        if field_names and 'received_on' not in field_names:
            return
        today = dt.date.today()
        for document in documents:
            if document.received_on and document.received_on > today:
                raise DocumentValidationError(gettext(
                        'insurance_claims.msg_document_received_future',
                        document=document.name))

    @classmethod
    @ModelView.button
    @transition('received')
    def receive(cls, documents):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        for document in documents:
            if not document.received_on:
                document.received_on = today
        cls.save(documents)

    @classmethod
    @ModelView.button
    @transition('waived')
    def waive(cls, documents):
        for document in documents:
            if not (document.waive_reason or '').strip():
                raise DocumentValidationError(gettext(
                        'insurance_claims.msg_document_waive_reason',
                        document=document.name))

    @classmethod
    @ModelView.button
    @transition('rejected')
    def reject(cls, documents):
        cls.write(documents, {'received_on': None})

    @classmethod
    @transition('requested')
    def request(cls, documents, date):
        cls.write(documents, {'requested_on': date})


class Request(ServerReadonlyMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'insurance.claim.document.request'
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, ondelete='CASCADE',
        states={'readonly': Eval('state') != 'draft'})
    date = fields.Date(
        "Date", required=True, states={'readonly': Eval('state') != 'draft'})
    kind = fields.Selection([
            ('initial', "Initial"),
            ('complementary', "Complementary"),
            ], "Kind", required=True, sort=False, readonly=True)
    documents = fields.Many2Many(
        'insurance.claim.document.request-insurance.claim.document',
        'request', 'document', "Documents",
        domain=[('claim', '=', Eval('claim', -1))],
        states={'readonly': Eval('state') != 'draft'})
    delivered_on = fields.Date(
        "Delivered on", help="When the insured delivered what was asked.",
        states={
            'readonly': Eval('state') != 'sent',
            })
    notes = fields.Text("Notes")
    state = fields.Selection([
            ('draft', "Draft"),
            ('sent', "Sent"),
            ('delivered', "Delivered"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'sent'),
            ('sent', 'delivered'),
            ('draft', 'cancelled'),
            }
        cls._buttons.update({
                'send': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'deliver': {
                    'invisible': Eval('state') != 'sent',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @staticmethod
    def default_kind():
        return 'initial'

    def get_rec_name(self, name):
        return '%s (%s)' % (self.claim.rec_name, self.date)

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('claim'):
            # the kind and the limit count the claim's requests
            Claim.lock([values['claim']])
            claim = Claim(values['claim'])
            previous = [r for r in claim.requests if r.state != 'cancelled']
            values['kind'] = 'complementary' if previous else 'initial'
        return values

    @classmethod
    def check_modification(cls, mode, requests, values=None, external=False):
        super().check_modification(
            mode, requests, values=values, external=external)
        if mode == 'create':
            cls.check_complementary_limit(requests)
        elif mode == 'delete':
            for request in requests:
                if request.state != 'draft':
                    raise DocumentRequestError(gettext(
                            'insurance_claims.msg_request_delete',
                            request=request.rec_name))

    @classmethod
    def check_complementary_limit(cls, requests):
        "Refuse complementary requests beyond the legal limit"
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        limit = Configuration(1).max_complementary_requests
        for claim in {r.claim for r in requests}:
            complementary = cls.search([
                    ('claim', '=', claim.id),
                    ('kind', '=', 'complementary'),
                    ('state', '!=', 'cancelled'),
                    ], count=True)
            if complementary > limit:
                raise DocumentRequestError(gettext(
                        'insurance_claims.msg_request_complementary_limit',
                        claim=claim.rec_name, limit=limit))

    @classmethod
    def validate_fields(cls, requests, field_names):
        super().validate_fields(requests, field_names)
        if field_names and not (field_names & {'date', 'delivered_on'}):
            return
        for request in requests:
            if request.delivered_on and request.delivered_on < request.date:
                raise DocumentRequestError(gettext(
                        'insurance_claims.msg_request_delivered_before',
                        request=request.rec_name))

    @classmethod
    @ModelView.button
    @transition('sent')
    def send(cls, requests):
        pool = Pool()
        Document = pool.get('insurance.claim.document')
        for request in requests:
            if not request.documents:
                raise DocumentRequestError(gettext(
                        'insurance_claims.msg_request_no_documents',
                        request=request.rec_name))
            documents = [d for d in request.documents
                if d.state in {'pending', 'rejected'}]
            Document.request(documents, request.date)

    @classmethod
    @ModelView.button
    @transition('delivered')
    def deliver(cls, requests):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        for request in requests:
            if not request.delivered_on:
                request.delivered_on = today
        cls.save(requests)

    @classmethod
    @ModelView.button
    @transition('cancelled')
    def cancel(cls, requests):
        pass

    @classmethod
    def on_modification(cls, mode, requests, field_names=None):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        super().on_modification(mode, requests, field_names=field_names)
        if mode == 'delete':
            return
        Claim.sync_deadlines(Claim.browse({r.claim.id for r in requests}))


class RequestDocument(ServerReadonlyMixin, RelationIndexMixin, ModelSQL):
    __name__ = 'insurance.claim.document.request-insurance.claim.document'
    request = fields.Many2One(
        'insurance.claim.document.request', "Request", required=True,
        ondelete='CASCADE')
    document = fields.Many2One(
        'insurance.claim.document', "Document", required=True,
        ondelete='CASCADE')


class RequestReport(Report):
    __name__ = 'insurance.claim.document.request'

    @classmethod
    def execute(cls, ids, data):
        pool = Pool()
        Request = pool.get('insurance.claim.document.request')
        company_id = Transaction().context.get('company')
        if ids:
            company_id = Request(ids[0]).claim.company.id
        with Transaction().set_context(company=company_id):
            return super().execute(ids, data)

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
