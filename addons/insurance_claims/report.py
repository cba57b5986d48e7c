# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Daily claims report and month-end pack [003 §4.4.1]"""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Cast, Column, Literal, Union
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.report import Report
from trytond.tools import sql_pairing
from trytond.transaction import Transaction

from .common import now
from .payment import KINDS

_NUMERIC = {'digits': (16, 2)}
# the reports' rows depend on the period of the context: their values read
# in one period must not be served from the cache in another
Transaction.cache_keys.update({'from_date', 'to_date'})


def _dec(value):
    if value is None:
        return Decimal(0)
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(Decimal('0.01'))


class ReportContext(ModelView):
    __name__ = 'insurance.claim.report.context'
    company = fields.Many2One('company.company', "Company", required=True)
    from_date = fields.Date("From Date", required=True,
        domain=[('from_date', '<=', Eval('to_date'))])
    to_date = fields.Date("To Date", required=True,
        domain=[('to_date', '>=', Eval('from_date'))])

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_from_date(cls):
        return Transaction().context.get(
            'from_date', now().date().replace(day=1))

    @classmethod
    def default_to_date(cls):
        return Transaction().context.get('to_date',
            now().date().replace(day=1) + relativedelta(months=1, days=-1))

    @classmethod
    def period(cls):
        "Return (company id, from date, to date) of the context"
        context = Transaction().context
        company = context.get('company')
        from_date = context.get('from_date') or cls.default_from_date()
        to_date = context.get('to_date') or cls.default_to_date()
        return company, from_date, to_date


class _Report(ModelSQL, ModelView):
    "A read-only report of SQL rows"
    __slots__ = ()

    @classmethod
    def _meta_columns(cls):
        return [Literal(None).as_(n) for n in [
                'create_uid', 'create_date', 'write_uid', 'write_date']]

    @classmethod
    def get_states(cls):
        "The claim states, for the reports with a state column"
        Claim = Pool().get('insurance.claim')
        return Claim.fields_get(['state'])['state']['selection']

    @classmethod
    def read(cls, ids, fields_names):
        rows = super().read(ids, fields_names)
        numeric = [n for n in fields_names
            if n in cls._fields and cls._fields[n]._type == 'numeric'
            and not hasattr(cls._fields[n], 'getter')]
        for row in rows:
            for name in numeric:
                if row.get(name) is not None:
                    row[name] = _dec(row[name])
        return rows


class DailyClaim(_Report):
    "Daily claims report (Parte Diario de Reclamos)"
    __name__ = 'insurance.claim.daily'
    claim = fields.Many2One('insurance.claim', "Claim")
    region = fields.Many2One('insurance.region', "Region")
    line = fields.Many2One('insurance.line', "Line of Business")
    policy = fields.Many2One('insurance.policy', "Policy")
    insured = fields.Many2One('party.party', "Insured")
    executive = fields.Many2One('company.employee', "Executive")
    notified_at = fields.DateTime("Notified at")
    days_open = fields.Function(fields.Integer("Days Open"), 'get_days_open')
    reserve = fields.Numeric("Reserve", **_NUMERIC)
    paid = fields.Numeric("Paid", **_NUMERIC)
    next_deadline = fields.DateTime("Next Deadline")
    facultative_reinsurance = fields.Boolean("Facultative Reinsurance")
    state = fields.Selection('get_states', "State")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('region', 'ASC'), ('notified_at', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Policy = pool.get('insurance.policy')
        claim = Claim.__table__()
        policy = Policy.__table__()
        company = Transaction().context.get('company')
        return claim.join(policy, condition=claim.policy == policy.id
            ).select(
                claim.id.as_('id'), *cls._meta_columns(),
                claim.id.as_('claim'),
                claim.occurrence_region.as_('region'),
                claim.line.as_('line'),
                claim.policy.as_('policy'),
                claim.insured.as_('insured'),
                claim.executive.as_('executive'),
                claim.notified_at.as_('notified_at'),
                claim.reserve_amount.as_('reserve'),
                claim.paid_amount.as_('paid'),
                claim.next_deadline.as_('next_deadline'),
                policy.facultative_reinsurance.as_('facultative_reinsurance'),
                claim.state.as_('state'),
                where=claim.state.in_(['open', 'approval', 'approved'])
                & (claim.company == company))

    def get_days_open(self, name):
        if self.notified_at:
            return (now() - self.notified_at).days

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('facultative_reinsurance', False), 'danger', '')),
            ]


class _CompanyReport(Report):
    "A report on SQL rows with the company of the context"
    __slots__ = ()

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        context = super().get_context(records, header, data)
        company = Transaction().context.get('company')
        context['company'] = Company(company) if company else None
        return context


class DailyReport(_CompanyReport):
    __name__ = 'insurance.claim.daily'


class ReserveMovement(_Report):
    "Reserve movement by region and line of business"
    __name__ = 'insurance.claim.reserve_movement'
    region = fields.Many2One('insurance.region', "Region")
    line = fields.Many2One('insurance.line', "Line of Business")
    # lazy: a search (ids and order) leaves the aggregate of the amounts
    # out; only the read computes it
    opening = fields.Numeric("Opening", loading='lazy', **_NUMERIC)
    new = fields.Numeric("New", loading='lazy', **_NUMERIC)
    increase = fields.Numeric("Increase", loading='lazy', **_NUMERIC)
    decrease = fields.Numeric("Decrease", loading='lazy', **_NUMERIC)
    paid = fields.Numeric("Paid", loading='lazy', **_NUMERIC)
    closing = fields.Numeric("Closing", loading='lazy', **_NUMERIC)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('region', 'ASC'), ('line', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        """Outstanding reserve by region and line, in one set-based query

        The reserve lines give their stored change from the previous line;
        paid payment orders and work orders give the payments, so
        opening + new + increase - decrease - paid = closing.

        The rows are the region and line pairs with reserve lines (a claim
        has its initial reserve from its registration, before any payment),
        found by one index probe per pair; the amounts, lazy fields, are a
        left join on them that PostgreSQL leaves out of a search (ids and
        order): the aggregate is computed once, by the read.
        """
        pool = Pool()
        Context = pool.get('insurance.claim.report.context')
        Claim = pool.get('insurance.claim')
        Region = pool.get('insurance.region')
        Line = pool.get('insurance.line')
        Reserve = pool.get('insurance.claim.reserve')
        Payment = pool.get('insurance.claim.payment')
        WorkOrder = pool.get('insurance.work_order')
        company, from_date, to_date = Context.period()
        from_dt = dt.datetime.combine(from_date, dt.time())
        to_dt = dt.datetime.combine(to_date + dt.timedelta(days=1), dt.time())
        reserve = Reserve.__table__()

        # each source is aggregated by region and line on its own (the
        # reserve lines in parallel, from their covering index), then summed
        before, in_period = reserve.date < from_dt, reserve.date >= from_dt
        first = reserve.first == Literal(True)
        zero = Literal(0)
        moves = [reserve.select(
                reserve.region.as_('region'),
                reserve.line.as_('line'),
                Sum(Case((before, reserve.change), else_=0)).as_('opening'),
                Sum(Case((in_period & first, reserve.change),
                        else_=0)).as_('new'),
                Sum(Case((in_period & ~first & (reserve.change > 0),
                            reserve.change), else_=0)).as_('increase'),
                Sum(Case((in_period & ~first & (reserve.change < 0),
                            -reserve.change), else_=0)).as_('decrease'),
                zero.as_('paid'),
                Sum(reserve.change).as_('closing'),
                where=(reserve.company == company) & (reserve.date < to_dt),
                group_by=[reserve.region, reserve.line])]
        for Model in [Payment, WorkOrder]:
            table = Model.__table__()
            claim = Claim.__table__()
            amount = Coalesce(table.paid_amount, 0)
            moves.append(table.join(claim,
                    condition=table.claim == claim.id
                    ).select(
                    claim.occurrence_region.as_('region'),
                    claim.line.as_('line'),
                    Sum(Case((table.paid_on < from_date, -amount),
                            else_=0)).as_('opening'),
                    zero.as_('new'), zero.as_('increase'),
                    zero.as_('decrease'),
                    Sum(Case((table.paid_on >= from_date, amount),
                            else_=0)).as_('paid'),
                    Sum(-amount).as_('closing'),
                    where=(claim.company == company)
                    & (table.state == 'paid')
                    & (table.paid_on <= to_date),
                    group_by=[claim.occurrence_region, claim.line]))
        move = Union(*moves, all_=True)
        amounts = ['opening', 'new', 'increase', 'decrease', 'paid',
            'closing']
        movement = move.select(
            move.region.as_('region'), move.line.as_('line'),
            *(Sum(Column(move, n)).as_(n) for n in amounts),
            group_by=[move.region, move.line])

        region, line, probe = (
            Region.__table__(), Line.__table__(), Reserve.__table__())
        # a scalar subquery with a limit: one index probe per pair
        has_reserve = probe.select(Literal(1),
            where=(probe.company == company) & (probe.region == region.id)
            & (probe.line == line.id) & (probe.date < to_dt),
            limit=1)
        pairs = region.join(line, condition=Literal(True)).select(
            sql_pairing(region.id, line.id).as_('id'),
            region.id.as_('region'), line.id.as_('line'),
            where=Coalesce(has_reserve, 0) == 1)
        return pairs.join(movement, type_='LEFT',
            condition=(movement.region == pairs.region)
            & (movement.line == pairs.line)
            ).select(
            pairs.id.as_('id'),
            *cls._meta_columns(),
            pairs.region.as_('region'),
            pairs.line.as_('line'),
            *(Coalesce(Column(movement, n), 0).as_(n) for n in amounts))


class _PaymentReport(_Report):
    __slots__ = ()
    payment = fields.Many2One('insurance.claim.payment', "Payment Order")
    claim = fields.Many2One('insurance.claim', "Claim")
    region = fields.Many2One('insurance.region', "Region")
    payee = fields.Many2One('party.party', "Payee")
    kind = fields.Selection(KINDS, "Kind")
    amount = fields.Numeric("Amount", **_NUMERIC)
    amount_approval_currency = fields.Numeric(
        "Amount in Approval Currency", **_NUMERIC)
    planned_on = fields.Date("Planned on")
    state = fields.Selection('get_states', "State")

    @classmethod
    def get_states(cls):
        Payment = Pool().get('insurance.claim.payment')
        return Payment.fields_get(['state'])['state']['selection']

    @classmethod
    def _where(cls, payment, claim):
        raise NotImplementedError

    @classmethod
    def table_query(cls):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Payment = pool.get('insurance.claim.payment')
        payment = Payment.__table__()
        claim = Claim.__table__()
        return payment.join(claim, condition=payment.claim == claim.id
            ).select(
                payment.id.as_('id'), *cls._meta_columns(),
                payment.id.as_('payment'),
                payment.claim.as_('claim'),
                claim.occurrence_region.as_('region'),
                payment.payee.as_('payee'),
                payment.kind.as_('kind'),
                payment.amount.as_('amount'),
                payment.amount_approval_currency.as_(
                    'amount_approval_currency'),
                payment.planned_on.as_('planned_on'),
                payment.state.as_('state'),
                where=cls._where(payment, claim))


class LargePayment(_PaymentReport):
    "Payments above the threshold planned for the next month"
    __name__ = 'insurance.claim.large_payment'

    @classmethod
    def _where(cls, payment, claim):
        pool = Pool()
        Context = pool.get('insurance.claim.report.context')
        Configuration = pool.get('insurance.configuration')
        company, from_date, to_date = Context.period()
        start = to_date + dt.timedelta(days=1)
        end = start + relativedelta(months=1)
        threshold = Configuration(1).large_payment_threshold
        return ((claim.company == company)
            & (payment.planned_on >= start) & (payment.planned_on < end)
            & (Cast(payment.amount_approval_currency, 'NUMERIC')
                > Cast(Literal(threshold), 'NUMERIC'))
            & payment.state.in_(['draft', 'approved', 'invoiced']))


class CommercialPayment(_PaymentReport):
    "Commercial (ex-gratia) payments of the period"
    __name__ = 'insurance.claim.commercial_payment'

    @classmethod
    def _where(cls, payment, claim):
        pool = Pool()
        Context = pool.get('insurance.claim.report.context')
        company, from_date, to_date = Context.period()
        return ((claim.company == company)
            & (payment.kind == 'commercial')
            & (Coalesce(payment.approved_at, payment.create_date)
                >= dt.datetime.combine(from_date, dt.time()))
            & (Coalesce(payment.approved_at, payment.create_date)
                < dt.datetime.combine(
                    to_date + dt.timedelta(days=1), dt.time()))
            & (payment.state != 'cancelled'))


class TotalLoss(_Report):
    "Total losses by theft and by accident in follow-up"
    __name__ = 'insurance.claim.total_loss'
    claim = fields.Many2One('insurance.claim', "Claim")
    region = fields.Many2One('insurance.region', "Region")
    line = fields.Many2One('insurance.line', "Line of Business")
    cause = fields.Selection([
            ('theft', "Theft"),
            ('accident', "Accident"),
            ], "Cause")
    declared_at = fields.DateTime("Declared at")
    paid = fields.Numeric("Paid", **_NUMERIC)
    state = fields.Selection('get_states', "State")

    @classmethod
    def table_query(cls):
        pool = Pool()
        Context = pool.get('insurance.claim.report.context')
        Claim = pool.get('insurance.claim')
        claim = Claim.__table__()
        company, from_date, to_date = Context.period()
        to_dt = dt.datetime.combine(to_date + dt.timedelta(days=1), dt.time())
        from_dt = dt.datetime.combine(from_date, dt.time())
        return claim.select(
            claim.id.as_('id'), *cls._meta_columns(),
            claim.id.as_('claim'),
            claim.occurrence_region.as_('region'),
            claim.line.as_('line'),
            Case((claim.theft == Literal(True), 'theft'),
                else_='accident').as_('cause'),
            claim.total_loss_declared_at.as_('declared_at'),
            claim.paid_amount.as_('paid'),
            claim.state.as_('state'),
            where=(claim.company == company)
            & (claim.total_loss == Literal(True))
            & (claim.total_loss_declared_at < to_dt)
            & ((claim.state != 'closed') | (claim.closed_at >= from_dt)))


class SlaCompliance(_Report):
    "Deadlines met and breached by region and executive"
    __name__ = 'insurance.claim.sla'
    region = fields.Many2One('insurance.region', "Region")
    executive = fields.Many2One('company.employee', "Executive")
    total = fields.Integer("Deadlines")
    met = fields.Integer("Met")
    breached = fields.Integer("Breached")
    pending = fields.Integer("Pending")
    compliance = fields.Function(fields.Float(
            "Compliance", digits=(3, 4),
            help="Met deadlines over the decided ones."), 'get_compliance')

    @classmethod
    def table_query(cls):
        pool = Pool()
        Context = pool.get('insurance.claim.report.context')
        Claim = pool.get('insurance.claim')
        Deadline = pool.get('insurance.claim.deadline')
        claim = Claim.__table__()
        deadline = Deadline.__table__()
        company, from_date, to_date = Context.period()
        to_dt = dt.datetime.combine(to_date + dt.timedelta(days=1), dt.time())
        from_dt = dt.datetime.combine(from_date, dt.time())

        def count(state):
            return Sum(Case((deadline.state == state, 1), else_=0))
        return deadline.join(claim, condition=deadline.claim == claim.id
            ).select(
                sql_pairing(claim.occurrence_region,
                    Coalesce(claim.executive, 0)).as_('id'),
                *cls._meta_columns(),
                claim.occurrence_region.as_('region'),
                claim.executive.as_('executive'),
                Count(deadline.id).as_('total'),
                count('met').as_('met'),
                count('breached').as_('breached'),
                count('pending').as_('pending'),
                where=(claim.company == company)
                & (deadline.due >= from_dt) & (deadline.due < to_dt)
                & (deadline.state != 'cancelled'),
                group_by=[claim.occurrence_region, claim.executive])

    def get_compliance(self, name):
        decided = (self.met or 0) + (self.breached or 0)
        if decided:
            return self.met / decided


class MonthEndReport(_CompanyReport):
    "Month-end pack of the claims department"
    __name__ = 'insurance.claim.month_end'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Context = pool.get('insurance.claim.report.context')
        context = super().get_context(records, header, data)
        company, from_date, to_date = Context.period()
        context['from_date'] = from_date
        context['to_date'] = to_date
        for key, name in [
                ('movements', 'insurance.claim.reserve_movement'),
                ('large_payments', 'insurance.claim.large_payment'),
                ('commercial_payments', 'insurance.claim.commercial_payment'),
                ('total_losses', 'insurance.claim.total_loss'),
                ('sla', 'insurance.claim.sla')]:
            context[key] = pool.get(name).search([])
        movements = context['movements']
        context['totals'] = {n: sum((getattr(m, n) for m in movements),
                Decimal(0))
            for n in ['opening', 'new', 'increase', 'decrease', 'paid',
                'closing']}
        return context


class MonthEndSpreadsheet(MonthEndReport):
    "Month-end pack as a spreadsheet, one sheet per part"
    __name__ = 'insurance.claim.month_end.spreadsheet'
