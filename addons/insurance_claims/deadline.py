# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt

from sql import Cast, Literal, Null, Union, With
from sql.conditionals import Case, Coalesce
from sql.operators import Concat

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .common import now, selection_string

DEADLINE_KINDS = [
    ('inspection', "Inspection"),
    ('notification', "Notification to the Authorization Level"),
    ('registration', "Registration"),
    ('reserve_regularization', "Reserve Regularization"),
    ('decision', "Decision"),
    ('theft_documents', "Theft Documents"),
    ('theft_location', "Theft Location"),
    ('valuation', "Valuation"),
    ('admission_order', "Admission Order"),
    ]


class Deadline(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'insurance.claim.deadline'
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, ondelete='CASCADE')
    kind = fields.Selection(DEADLINE_KINDS, "Kind", required=True, sort=False)
    due = fields.DateTime("Due", required=True)
    done_at = fields.DateTime("Done at")
    state = fields.Selection([
            ('pending', "Pending"),
            ('met', "Met"),
            ('breached', "Breached"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, sort=False)
    responsible = fields.Many2One('res.user', "Responsible")
    breached_at = fields.DateTime("Breached at")
    notified = fields.Boolean(
        "Notified", help="The breach was notified to the responsible and "
        "the regional head.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        t = cls.__table__()
        # Few indexes: every breach rewrites the row in each of them.
        # The claim index comes with the One2Many.
        cls._sql_indexes.update({
                Index(t, (t.due, Index.Range()),
                    where=t.state == 'pending'),
                Index(t, (t.id, Index.Range()),
                    where=(t.state == 'breached')
                    & (t.notified == Literal(False))),
                })
        cls._order = [('due', 'ASC'), ('id', 'ASC')]
        for name in ['claim', 'kind', 'due', 'done_at', 'state',
                'responsible', 'breached_at', 'notified']:
            getattr(cls, name).readonly = True

    @staticmethod
    def default_state():
        return 'pending'

    @staticmethod
    def default_notified():
        return False

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('state') == 'breached', 'danger',
                    If(Eval('state') == 'met', 'success', ''))),
            ]

    def get_rec_name(self, name):
        return '%s - %s' % (self.claim.rec_name,
            selection_string(self.__class__, 'kind', self.kind))

    @classmethod
    def responsible_of(cls, claim):
        "Return the user answering for the deadlines of the claim"
        pool = Pool()
        User = pool.get('res.user')
        if claim.executive:
            users = User.users_of_employees([claim.executive.id])
            if users:
                return users[0]
        return claim.registered_by or claim.create_uid

    @classmethod
    def sync(cls, claims):
        "Create, close, move and cancel the deadlines following each claim"
        to_save, to_cancel = [], []
        for claim in claims:
            plan = claim.get_deadline_plan()
            active = {}
            for deadline in claim.deadlines:
                if deadline.state in {'pending', 'breached'}:
                    active[deadline.kind] = deadline
                elif deadline.state == 'met':
                    active.setdefault(deadline.kind, deadline)
            responsible = cls.responsible_of(claim)
            for kind, (due, done_at) in plan.items():
                if due is None:
                    continue
                deadline = active.pop(kind, None)
                if deadline and deadline.due != due:
                    if deadline.state != 'met':
                        to_cancel.append(deadline)
                    deadline = None
                if deadline is None:
                    deadline = cls(claim=claim, kind=kind, due=due,
                        state='pending', notified=False, done_at=None,
                        responsible=None, breached_at=None)
                elif deadline.state == 'met':
                    continue
                if done_at and deadline.state in {'pending', 'breached'}:
                    deadline.done_at = done_at
                    deadline.state = 'met' if done_at <= due else 'breached'
                elif not done_at and deadline.state == 'met':
                    deadline.state = 'pending'
                    deadline.done_at = None
                if (deadline.responsible != responsible
                        and deadline.state == 'pending'):
                    deadline.responsible = responsible
                if deadline._changed_values() or deadline.id is None:
                    to_save.append(deadline)
            to_cancel.extend(d for d in active.values()
                if d.state in {'pending', 'breached'})
        cls.save(to_save)
        if to_cancel:
            cls.write(to_cancel, {'state': 'cancelled'})

    @classmethod
    def check_breaches(cls, moment=None):
        """Mark overdue deadlines breached and notify each breach once

        Set-based: a few SQL statements whatever the number of deadlines.
        """
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Region = pool.get('insurance.region')
        UserEmployee = pool.get('res.user-company.employee')
        Notification = pool.get('res.notification')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        moment = moment or now()
        table = cls.__table__()
        claim = Claim.__table__()
        region = Region.__table__()
        user_employee = UserEmployee.__table__()
        notification = Notification.__table__()
        cls.lock()

        # Each deadline is written once: the notifications are inserted for
        # the deadlines about to be marked, then one UPDATE marks them
        # breached and notified (the table is locked in between).
        overdue = (table.state == 'pending') & (table.due < moment)
        to_notify = overdue | (
            (table.state == 'breached') & (table.notified == Literal(False)))
        kind_label = Case(*((table.kind == k,
                    selection_string(cls, 'kind', k))
                for k, _ in DEADLINE_KINDS), else_=table.kind)
        label = gettext('insurance_claims.msg_deadline_breached')
        description = Concat(
            Concat(Coalesce(claim.number, ''), ' - '), kind_label)
        records = Concat(Concat('[', Cast(table.claim, 'VARCHAR')), ']')
        # the breaches are read once (a CTE used twice is materialized)
        breach = With('id', 'responsible', 'region', 'description',
            'records', query=table.join(claim,
                condition=table.claim == claim.id
                ).select(table.id, table.responsible,
                claim.occurrence_region, description, records,
                where=to_notify))
        responsible = breach.select(
            breach.responsible.as_('user'), breach.id.as_('deadline'),
            breach.description.as_('description'),
            breach.records.as_('records'),
            where=breach.responsible != Null)
        heads = breach.join(region,
            condition=region.id == breach.region
            ).join(user_employee,
            condition=user_employee.employee == region.head
            ).select(
                user_employee.user.as_('user'), breach.id.as_('deadline'),
                breach.description.as_('description'),
                breach.records.as_('records'))
        recipients = Union(responsible, heads)
        cursor.execute(*notification.insert(
                [notification.user, notification.label,
                    notification.description, notification.model,
                    notification.records, notification.unread,
                    notification.create_uid, notification.create_date],
                recipients.select(
                    recipients.user, Literal(label), recipients.description,
                    Literal(Claim.__name__), recipients.records,
                    Literal(True), Literal(transaction.user),
                    Literal(moment)),
                with_=[breach]))
        cursor.execute(*table.update(
                [table.state, table.breached_at, table.notified,
                    table.write_date, table.write_uid],
                ['breached',
                    Case((overdue, moment), else_=table.breached_at),
                    True, moment, transaction.user],
                where=to_notify))


def _end_of_day(date):
    return dt.datetime.combine(date, dt.time(23, 59, 59))


class Claim(metaclass=PoolMeta):
    __name__ = 'insurance.claim'

    def get_deadline_plan(self):
        """Return {kind: (due, done_at)} of the deadlines the claim needs

        done_at is None while the watched event has not happened.
        """
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        config = Configuration(1)
        plan = {}
        if self.state in {'cancelled', 'closed'} or not self.notified_at:
            return plan
        notified = self.notified_at
        if self.state == 'draft' or self.registered_at:
            plan['registration'] = (
                notified + dt.timedelta(days=config.registration_days),
                self.registered_at)
        if self.state == 'declined':
            if self.decided_at and self._decision_due():
                plan['decision'] = (self._decision_due(), self.decided_at)
            return plan
        plan['inspection'] = (
            notified + dt.timedelta(hours=config.inspection_hours),
            self.inspected_at)
        plan['notification'] = (
            notified + dt.timedelta(hours=config.notification_hours),
            self.authorization_informed_at)
        if self.state == 'draft':
            return plan
        if self.estimate_known_on:
            plan['reserve_regularization'] = (
                _end_of_day(self.estimate_known_on + dt.timedelta(
                        days=config.regularization_days)),
                self._reserve_regularized_at())
        decision_due = self._decision_due()
        if decision_due:
            plan['decision'] = (decision_due, self.decided_at)
        if self.theft and self.theft_reported_at:
            plan['theft_documents'] = (
                self.theft_documents_deadline(),
                self.theft_documents_received_at)
            located = self.located_at or self.total_loss_declared_at
            if self.located_at and self.total_loss_declared_at:
                located = min(self.located_at, self.total_loss_declared_at)
            plan['theft_location'] = (
                self.theft_location_deadline(), located)
        if self.admission_order_on:
            plan['admission_order'] = (
                _end_of_day(self.admission_order_on + dt.timedelta(
                        days=config.admission_order_days)),
                self.vehicle_entry_at)
        if self.vehicle_entry_at:
            plan['valuation'] = (
                config.add_business_hours(
                    self.vehicle_entry_at, config.valuation_business_hours),
                self.valued_at)
        return plan

    def _decision_due(self):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        requests = [r for r in self.requests or []
            if r.state in {'sent', 'delivered'}]
        if not requests or any(r.state != 'delivered' for r in requests):
            return None
        last = max(r.delivered_on for r in requests)
        return _end_of_day(
            last + dt.timedelta(days=Configuration(1).decision_days))

    def _reserve_regularized_at(self):
        if not self.estimate_known_on:
            return None
        since = dt.datetime.combine(self.estimate_known_on, dt.time())
        dates = [r.date for r in self.reserves or []
            if not r.estimated and r.date >= since]
        return min(dates) if dates else None
