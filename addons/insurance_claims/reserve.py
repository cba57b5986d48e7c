# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from sql import Column, Literal, Null, Window
from sql.conditionals import Coalesce
from sql.functions import Lag, RowNumber

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.insurance_directory.model import ServerReadonlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .common import clear_cache, now
from .exceptions import ReserveValidationError


class Reserve(ServerReadonlyMixin, ModelSQL, ModelView):
    __name__ = 'insurance.claim.reserve'
    _history = True
    claim = fields.Many2One(
        'insurance.claim', "Claim", required=True, ondelete='CASCADE')
    date = fields.DateTime("Date", required=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True,
        help="The reserve of the claim from this date.")
    kind = fields.Selection([
            ('initial', "Initial"),
            ('estimate', "Estimate"),
            ('adjustment', "Adjustment"),
            ('release', "Release"),
            ('reopen', "Reopening"),
            ], "Kind", required=True, sort=False)
    reason = fields.Text(
        "Reason", states={
            'required': Eval('kind').in_(['adjustment', 'release', 'reopen']),
            })
    estimated = fields.Boolean(
        "Estimated", help="The amount is a placeholder, not an estimate of "
        "the damage.")
    user = fields.Many2One('res.user', "User", readonly=True)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    change = fields.Numeric(
        "Change", digits=(16, 2), readonly=True,
        help="The amount minus the reserve in force before this line.")
    first = fields.Boolean(
        "First", readonly=True, help="The first reserve of the claim.")
    # copied from the claim for the month-end reserve movement, which then
    # reads the reserve lines alone
    company = fields.Many2One('company.company', "Company", readonly=True)
    region = fields.Many2One('insurance.region', "Region", readonly=True)
    line = fields.Many2One(
        'insurance.line', "Line of Business", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('claim')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        # the month-end: its pairs of region and line are probes of this
        # index, its amounts a scan of it
        cls._sql_indexes.add(
            Index(t, (t.company, Index.Equality()),
                (t.region, Index.Equality()), (t.line, Index.Equality()),
                (t.date, Index.Range()),
                include=[t.change, t.first]))

    @classmethod
    def __register__(cls, module):
        table_h = cls.__table_handler__(module)
        migrate = table_h.table_exist(cls._table) and not (
            table_h.column_exist('region'))
        super().__register__(module)
        if migrate:
            cls.update_changes()

    @classmethod
    def update_changes(cls, claim_ids=None):
        """Store the change, first flag, company, region and line of the
        reserve lines of the claims

        The lines form each claim's history ordered by date then id, so a
        back-dated line also moves the change of the line after it.
        All the claims when claim_ids is None.
        """
        pool = Pool()
        Claim = pool.get('insurance.claim')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        if claim_ids is None:
            groups = [None]
        else:
            groups = map(list,
                grouped_slice(claim_ids, backend.MAX_QUERY_PARAMS))
        for sub_ids in groups:
            line = cls.__table__()
            claim = Claim.__table__()
            where = (fields.SQL_OPERATORS['in'](line.claim, sub_ids)
                if sub_ids is not None else Literal(True))
            window = Window([line.claim],
                order_by=[line.date.asc, line.id.asc])
            history = line.join(claim, condition=claim.id == line.claim
                ).select(
                    line.id.as_('id'),
                    (line.amount - Coalesce(Lag(line.amount, window=window),
                            0)).as_('change'),
                    (RowNumber(window=window) == 1).as_('first'),
                    claim.company.as_('company'),
                    claim.occurrence_region.as_('region'),
                    claim.line.as_('line'),
                    where=where)
            changed = Literal(False)
            for name in ['change', 'first', 'company', 'region', 'line']:
                column, value = Column(table, name), Column(history, name)
                changed |= ((column == Null) | (column != value))
            cursor.execute(*table.update(
                    [table.change, table.first, table.company, table.region,
                        table.line],
                    [history.change, history.first, history.company,
                        history.region, history.line],
                    from_=[history],
                    where=(table.id == history.id) & changed))
            Claim.update_reserve(sub_ids)
        clear_cache(cls)

    @classmethod
    def default_date(cls):
        return now()

    @staticmethod
    def default_kind():
        return 'adjustment'

    @staticmethod
    def default_estimated():
        return False

    @staticmethod
    def default_user():
        return Transaction().user

    @fields.depends('claim', '_parent_claim.currency')
    def on_change_with_currency(self, name=None):
        return self.claim.currency if self.claim else None

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['user'] = Transaction().user
        return values

    @classmethod
    def validate_fields(cls, reserves, field_names):
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        super().validate_fields(reserves, field_names)
        Configuration(1).check_maximum_amounts(
            reserves, ['amount'], field_names)
        for reserve in reserves:
            if reserve.amount < 0:
                raise ReserveValidationError(gettext(
                        'insurance_claims.msg_reserve_amount_negative',
                        claim=reserve.claim.rec_name))
            if (reserve.kind in {'adjustment', 'release', 'reopen'}
                    and not (reserve.reason or '').strip()):
                raise ReserveValidationError(gettext(
                        'insurance_claims.msg_reserve_reason_required',
                        claim=reserve.claim.rec_name))

    @classmethod
    def check_modification(cls, mode, reserves, values=None, external=False):
        super().check_modification(
            mode, reserves, values=values, external=external)
        if mode in {'write', 'delete'}:
            raise ReserveValidationError(gettext(
                    'insurance_claims.msg_reserve_history_immutable'))
        if mode == 'create':
            for reserve in reserves:
                if reserve.claim.state in {'approved', 'closed', 'declined'}:
                    if (reserve.kind in {'release', 'reopen'}
                            or Transaction().context.get(
                                '_insurance_reserve_approved')):
                        continue
                    raise ReserveValidationError(gettext(
                            'insurance_claims.msg_reserve_needs_approval',
                            claim=reserve.claim.rec_name))

    @classmethod
    def on_modification(cls, mode, reserves, field_names=None):
        pool = Pool()
        Claim = pool.get('insurance.claim')
        Configuration = pool.get('insurance.configuration')
        super().on_modification(mode, reserves, field_names=field_names)
        if mode != 'create':
            return
        claims = Claim.browse({r.claim.id for r in reserves})
        cls.update_changes([c.id for c in claims])
        Claim.sync_deadlines(claims)
        threshold = Configuration(1).xl_reinsurance_threshold
        if threshold is not None:
            Claim.notify_reinsurance(
                [r.claim for r in reserves
                    if r.amount >= threshold and r.claim.policy.xl_reinsurance
                    and r.kind != 'release'],
                'insurance_claims.msg_notify_xl')
