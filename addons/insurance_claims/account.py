# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
"""Accounting handoff of the claims: invoice origins, the paid hook and the
settings of the settlement [003 §4.3]"""
from decimal import Decimal

from sql import Null

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, Id
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .common import transition
from .exceptions import SettlementError

SETTLEMENT_ORIGINS = [
    'insurance.work_order', 'insurance.claim.payment',
    'insurance.claim.recovery']


class Configuration(metaclass=PoolMeta):
    __name__ = 'insurance.configuration'
    claims_expense_account = fields.Many2One(
        'account.account', "Claims Expense Account",
        domain=[
            ('closed', '!=', True),
            ('type.expense', '=', True),
            ('company', '=', Eval('context', {}).get('company', -1)),
            ],
        help="Account of the supplier invoices of work orders and payment "
        "orders.")
    recovery_account = fields.Many2One(
        'account.account', "Recovery Account",
        domain=[
            ('closed', '!=', True),
            ('type.revenue', '=', True),
            ('company', '=', Eval('context', {}).get('company', -1)),
            ],
        help="Account of the customer invoices of recoveries.")
    work_order_sequence = fields.Many2One(
        'ir.sequence', "Work Order Sequence",
        domain=[
            ('sequence_type', '=',
                Id('insurance_claims', 'sequence_type_work_order')),
            ])
    payment_sequence = fields.Many2One(
        'ir.sequence', "Payment Order Sequence",
        domain=[
            ('sequence_type', '=',
                Id('insurance_claims', 'sequence_type_claim_payment')),
            ])
    deductible_notice_days = fields.Integer(
        "Deductible Notice Days", required=True,
        help="Calendar days a deductible notice is valid.")
    large_payment_threshold = fields.Numeric(
        "Large Payment Threshold", digits=(16, 2), required=True,
        help="Payments above this amount (approval currency) are listed "
        "in the month-end pack when planned for the next month.")
    archive_regional_years = fields.Integer(
        "Regional Archive Years", required=True,
        help="Years a closed file stays at the regional office.")
    archive_destruction_years = fields.Integer(
        "Destruction Review Years", required=True,
        help="Years after which a closed file is reviewed with Legal and "
        "Administration for destruction.")

    @classmethod
    def default_work_order_sequence(cls):
        return cls._default_xml_id('sequence_work_order')

    @classmethod
    def default_payment_sequence(cls):
        return cls._default_xml_id('sequence_claim_payment')

    @classmethod
    def _default_xml_id(cls, xml_id):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('insurance_claims', xml_id)
        except KeyError:
            return None

    @classmethod
    def default_deductible_notice_days(cls):
        return 45

    @classmethod
    def default_large_payment_threshold(cls):
        return Decimal(10000)

    @classmethod
    def default_archive_regional_years(cls):
        return 1

    @classmethod
    def default_archive_destruction_years(cls):
        return 10

    def get_account(self, name):
        "Return the configured account or raise naming the setting"
        account = getattr(self, name)
        if not account:
            raise SettlementError(gettext(
                    'insurance_claims.msg_settlement_account_missing',
                    field=self.__class__._fields[name].string))
        return account


class InvoicedMixin:
    "An order that hands exactly one invoice over to accounting"
    __slots__ = ()
    _invoice_type = 'in'
    _invoice_account = 'claims_expense_account'

    @classmethod
    def get_invoice_states(cls):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        return [(None, "")] + Invoice.fields_get(
            ['state'])['state']['selection']

    def get_invoice_state(self, name):
        return self.invoice.state if self.invoice else None

    @classmethod
    @transition('invoiced')
    def invoiced(cls, records):
        pass

    @classmethod
    def pay(cls, records):
        "Paid in accounting: the claim's paid amount follows"
        pool = Pool()
        Claim = pool.get('insurance.claim')
        cls._set_paid(records)
        Claim.update_paid_amount(Claim.browse({r.claim.id for r in records}))

    @classmethod
    @transition('paid')
    def _set_paid(cls, records):
        pass

    def get_invoice_party(self):
        raise NotImplementedError

    def get_invoice_amount(self):
        raise NotImplementedError

    def get_invoice_description(self):
        return self.rec_name

    def _get_invoice(self):
        "Return an unsaved invoice of the order, like a purchase does"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        Configuration = pool.get('insurance.configuration')
        account = Configuration(1).get_account(self._invoice_account)
        party = self.get_invoice_party()
        if self._invoice_type == 'in':
            party_account = party.account_payable_used
        else:
            party_account = party.account_receivable_used
        if not party_account:
            raise SettlementError(gettext(
                    'insurance_claims.msg_settlement_party_account',
                    party=party.rec_name, record=self.rec_name))
        address = party.address_get(type='invoice')
        if not address:
            raise SettlementError(gettext(
                    'insurance_claims.msg_settlement_party_address',
                    party=party.rec_name, record=self.rec_name))
        description = self.get_invoice_description()
        invoice = Invoice(
            company=self.company, type=self._invoice_type, party=party,
            invoice_address=address,
            currency=self.currency, account=party_account,
            description=description)
        invoice.set_journal()
        invoice.lines = [Line(
                type='line', company=self.company, currency=self.currency,
                invoice_type=self._invoice_type, party=party,
                quantity=1, unit_price=self.get_invoice_amount(),
                account=account, description=description, origin=self)]
        return invoice

    @classmethod
    def _invoiced_ids(cls, records):
        "Ids of the records that already have an invoice, read from the table"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        ids = set()
        for sub_ids in grouped_slice([r.id for r in records]):
            cursor.execute(*table.select(table.id,
                    where=fields.SQL_OPERATORS['in'](table.id, sub_ids)
                    & (table.invoice != Null)))
            ids.update(i for i, in cursor)
        return ids

    @classmethod
    def create_invoice(cls, records):
        """Create the invoice of each record once and only once

        The records are locked and their invoice re-read from the table so
        a double click, a retry or a concurrent approval never creates a
        second invoice.
        """
        pool = Pool()
        Invoice = pool.get('account.invoice')
        if not records:
            return []
        cls.lock(records)
        done = cls._invoiced_ids(records)
        to_invoice = [r for r in records if r.id not in done]
        invoices = []
        with without_check_access():
            for record in to_invoice:
                if record.get_invoice_amount() <= 0:
                    raise SettlementError(gettext(
                            'insurance_claims.msg_settlement_amount_positive',
                            record=record.rec_name))
                record.invoice = record._get_invoice()
                invoices.append(record.invoice)
            Invoice.save(invoices)
            cls.save(to_invoice)
        return invoices

    @classmethod
    def process_invoices(cls, invoices):
        "Move to paid the records whose invoice is paid"
        pool = Pool()
        Date = pool.get('ir.date')
        with without_check_access():
            records = cls.search([
                    ('invoice', 'in', [i.id for i in invoices]),
                    ('state', '=', 'invoiced'),
                    ])
            if not records:
                return []
            cls.lock(records)
            records = [r for r in cls.browse(records)
                if r.id not in cls._paid_ids(records)]
            for record in records:
                with Transaction().set_context(company=record.company.id):
                    record.paid_on = record.invoice_paid_date() or Date.today()
                record.paid_amount = record.get_invoice_amount()
            cls.save(records)
            cls.pay(records)
        return records

    @classmethod
    def _paid_ids(cls, records):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        ids = set()
        for sub_ids in grouped_slice([r.id for r in records]):
            cursor.execute(*table.select(table.id,
                    where=fields.SQL_OPERATORS['in'](table.id, sub_ids)
                    & (table.state == 'paid')))
            ids.update(i for i, in cursor)
        return ids

    def invoice_paid_date(self):
        "Return when accounting paid the invoice"
        if not self.invoice:
            return None
        dates = [l.reconciliation.date for l in self.invoice.lines_to_pay
            if l.reconciliation]
        dates += [l.date for l in self.invoice.payment_lines]
        return max(dates) if dates else None


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def paid(cls, invoices):
        pool = Pool()
        super().paid(invoices)
        for name in SETTLEMENT_ORIGINS:
            pool.get(name).process_invoices(invoices)


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + SETTLEMENT_ORIGINS

    @classmethod
    def validate(cls, lines):
        super().validate(lines)
        cls.check_settlement_origin(lines)

    @classmethod
    def check_settlement_origin(cls, lines):
        "Backstop: a claims order is the origin of one live invoice line"
        origins = {str(l.origin) for l in lines
            if l.origin and l.origin.__name__ in SETTLEMENT_ORIGINS}
        if not origins:
            return
        with without_check_access():
            others = cls.search([
                    ('origin', 'in', list(origins)),
                    ('invoice.state', '!=', 'cancelled'),
                    ])
        seen = {}
        for line in others:
            key = str(line.origin)
            if key in seen and seen[key] != line.id:
                raise SettlementError(gettext(
                        'insurance_claims.msg_settlement_invoice_twice',
                        record=line.origin.rec_name))
            seen[key] = line.id
