# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval

from .adjuster import ADJUSTER_KINDS
from .common import RelationIndexMixin
from .exceptions import ExpertValidationError


class Expert(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'insurance.claim.expert'
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, ondelete='CASCADE')
    adjuster = fields.Many2One(
        'insurance.adjuster', "Expert", required=True, ondelete='RESTRICT',
        domain=[
            ('kind', '=', Eval('kind')),
            ])
    kind = fields.Selection(ADJUSTER_KINDS, "Kind", required=True, sort=False)
    selection = fields.Selection([
            ('terna', "Shortlist of Three"),
            ('insured_choice', "Insured's Choice"),
            ('direct', "Direct"),
            ], "Selection", required=True, sort=False,
        help="Shortlist of three: the region proposes exactly three "
        "distinct candidates and one is chosen.\n"
        "Insured's choice: by the eligibility clause of the policy.")
    candidates = fields.Many2Many(
        'insurance.claim.expert-insurance.adjuster', 'expert', 'adjuster',
        "Candidates",
        domain=[('kind', '=', Eval('kind'))],
        states={
            'invisible': Eval('selection') != 'terna',
            })
    nominated_on = fields.Date("Nominated on", required=True)
    report_on = fields.Date(
        "Report on", help="When the expert delivered the report.")
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')

    @staticmethod
    def default_kind():
        return 'adjuster'

    @staticmethod
    def default_selection():
        return 'terna'

    @classmethod
    def default_nominated_on(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return '%s - %s' % (self.claim.rec_name, self.adjuster.rec_name)

    @classmethod
    def validate(cls, experts):
        super().validate(experts)
        for expert in experts:
            expert.check_terna()
            expert.check_dates()

    def check_terna(self):
        "A shortlist has exactly three distinct candidates, the expert one"
        if self.selection != 'terna':
            return
        candidates = set(self.candidates)
        if len(candidates) != 3 or len(self.candidates) != 3:
            raise ExpertValidationError(gettext(
                    'insurance_claims.msg_expert_terna_three',
                    claim=self.claim.rec_name, count=len(candidates)))
        if self.adjuster not in candidates:
            raise ExpertValidationError(gettext(
                    'insurance_claims.msg_expert_terna_chosen',
                    claim=self.claim.rec_name,
                    expert=self.adjuster.rec_name))

    def check_dates(self):
        if self.report_on and self.report_on < self.nominated_on:
            raise ExpertValidationError(gettext(
                    'insurance_claims.msg_expert_report_before',
                    claim=self.claim.rec_name))


class ExpertCandidate(ServerReadonlyMixin, RelationIndexMixin, ModelSQL):
    __name__ = 'insurance.claim.expert-insurance.adjuster'
    expert = fields.Many2One(
        'insurance.claim.expert', "Expert", required=True, ondelete='CASCADE')
    adjuster = fields.Many2One(
        'insurance.adjuster', "Adjuster", required=True, ondelete='CASCADE')
