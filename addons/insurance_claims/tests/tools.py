# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

NOW = dt.datetime(2026, 3, 10, 15, 0)


@contextmanager
def checked_as(user, company):
    "Run as the user in the company, with access checks and record rules"
    transaction = Transaction()
    with transaction.set_user(user.id), transaction.set_context(
            _check_access=True, company=company.id,
            companies=[company.id]):
        yield


def create_region(code, name=None, parent=None, head=None):
    Region = Pool().get('insurance.region')
    region = Region(code=code, name=name or code, kind='regional',
        parent=parent, head=head)
    region.save()
    return region


def create_line(code='TST', notice_days=3, threshold=Decimal('0.75')):
    Line = Pool().get('insurance.line')
    line = Line(name="Line %s" % code, code=code, notice_days=notice_days,
        total_loss_threshold=threshold)
    line.save()
    return line


def create_policy(company, line, region=None, number='POL-1',
        insured_kind='natural', amounts=(Decimal(100000), Decimal(50000)),
        **values):
    pool = Pool()
    Party = pool.get('party.party')
    Policy = pool.get('insurance.policy')
    Coverage = pool.get('insurance.policy.coverage')
    insured = Party(name="Insured %s" % number,
        insurance_party_kind=insured_kind)
    insured.save()
    values.setdefault('start_date', dt.date(2026, 1, 1))
    values.setdefault('end_date', dt.date(2026, 12, 31))
    values.setdefault('premium_paid_until', dt.date(2026, 6, 30))
    policy = Policy(company=company, number=number, insured=insured,
        line=line, issuing_region=region, currency=company.currency,
        insured_object="Toyota Hilux 2022, plate 1234-ABC",
        coverages=[Coverage(name="Coverage %s" % i, insured_amount=a)
            for i, a in enumerate(amounts)],
        **values)
    policy.save()
    return policy


def create_claim(policy, region, **values):
    Claim = Pool().get('insurance.claim')
    data = {
        'company': policy.company,
        'policy': policy,
        'line': policy.line,
        'insured': policy.insured,
        'occurrence_region': region,
        'currency': policy.currency,
        'channel': 'phone',
        'reporter_name': "Ana",
        'reporter_phone': "+591 700 00000",
        'description': "Rear collision at a crossing",
        'insured_object': policy.insured_object,
        'coverages': list(policy.coverages),
        'notified_at': NOW - dt.timedelta(hours=2),
        'occurred_at': NOW - dt.timedelta(days=1),
        }
    data.update(values)
    claim = Claim(**data)
    claim.save()
    return claim
