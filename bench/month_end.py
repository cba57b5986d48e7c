"""Month-end reserve movement by region x line, bench-side reference.

Registered into the pool only by bench/server.py (never by the module):
the benchmark needs an ORM (table_query) path for operation 3 until the
module ships its own month-end model; ``run.py --month-end-model`` points
the benchmark at that one once it exists.

For the month [date_from, date_to) and each (occurrence region, line):
- opening: sum over the claims of their latest reserve line before
  date_from (the claim's reserve is its latest line, SPEC 2.3),
- closing: the same before date_to,
- movement: closing - opening,
- claims: the claims with a reserve line before date_to.

One ordered pass over the reserve lines: a line is a claim's latest
before a cut-off when its date is before the cut-off and the claim's next
line (lead over (date, id)) is not.
"""
import datetime as dt

from sql import Literal, Null, Window
from sql.aggregate import Count, Sum
from sql.conditionals import Case
from sql.functions import Lead

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction


def month_bounds(context):
    today = dt.date.today()
    date_to = context.get('date_to') or today.replace(day=1)
    date_from = context.get('date_from') or (
        date_to - dt.timedelta(days=1)).replace(day=1)
    return (dt.datetime.combine(date_from, dt.time()),
        dt.datetime.combine(date_to, dt.time()))


def movement_query(claim, reserve, date_from, date_to, region=None):
    "The python-sql query of the movement; shared by the ORM and raw SQL"
    window = Window([reserve.claim],
        order_by=[reserve.date.asc, reserve.id.asc])
    next_date = Lead(reserve.date, window=window)
    lines = reserve.select(
        reserve.claim, reserve.amount, reserve.date,
        next_date.as_('next_date'),
        where=reserve.date < date_to)

    def latest(cut):
        return Case(((lines.date < cut)
                & ((lines.next_date == Null) | (lines.next_date >= cut)),
                lines.amount), else_=Literal(0))
    where = Literal(True)
    if region is not None:
        where &= claim.occurrence_region == region
    query = lines.join(claim, condition=lines.claim == claim.id
        ).select(
            claim.occurrence_region.as_('region'), claim.line.as_('line'),
            Sum(latest(date_from)).as_('opening'),
            Sum(latest(date_to)).as_('closing'),
            Count(Case((lines.next_date == Null, Literal(1)))).as_('claims'),
            where=where,
            group_by=[claim.occurrence_region, claim.line])
    return query


class ReserveMonthEnd(ModelSQL, ModelView):
    __name__ = 'bench.claim.reserve.month_end'
    region = fields.Many2One('insurance.region', "Region")
    line = fields.Many2One('insurance.line', "Line of Business")
    opening = fields.Numeric("Opening Reserve", digits=(16, 2))
    closing = fields.Numeric("Closing Reserve", digits=(16, 2))
    movement = fields.Numeric("Movement", digits=(16, 2))
    claims = fields.Integer("Claims")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('region', 'ASC'), ('line', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Reserve = pool.get('insurance.claim.reserve')
        claim = Claim.__table__()
        reserve = Reserve.__table__()
        date_from, date_to = month_bounds(Transaction().context)
        query = movement_query(claim, reserve, date_from, date_to)
        # the id of a row is stable: region * 1000 + line
        return query.select(
            (query.region * 1000 + query.line).as_('id'),
            query.region, query.line, query.opening, query.closing,
            (query.closing - query.opening).as_('movement'),
            query.claims,
            Literal(0).as_('create_uid'),
            Literal(None).as_('create_date'),
            Literal(0).as_('write_uid'),
            Literal(None).as_('write_date'))
