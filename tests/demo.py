"""Load the demo data of every module into a database, idempotently.

python -m tests.demo DATABASE   (uses TRYTOND_CONFIG, as bin/demo sets it)
"""
import importlib
import os
import sys

MODULES = ['insurance_directory', 'insurance_claims', 'distributor_liquidation']


def chart_template(config):
    "The minimal chart in the database's language (only that one is loaded)"
    from proteus import Model
    ModelData = Model.get('ir.model.data', config=config)
    for language in [config.context.get('language'), 'es', 'en']:
        chart = 'account.account_template_root_%s' % language
        try:
            ModelData.get_id(chart, config.context)
        except Exception:
            continue
        return chart


def accounting(config):
    """Give the company a chart of accounts, this year's fiscal year and a
    cash payment method, once, for the modules whose demos invoice"""
    import datetime as dt

    from proteus import Model
    from trytond.modules.account.tests.tools import (
        create_chart, create_fiscalyear, get_accounts)
    from trytond.modules.account_invoice.tests.tools import (
        set_fiscalyear_invoice_sequences)
    Company = Model.get('company.company', config=config)
    Account = Model.get('account.account', config=config)
    FiscalYear = Model.get('account.fiscalyear', config=config)
    Journal = Model.get('account.journal', config=config)
    PaymentMethod = Model.get('account.invoice.payment.method', config=config)
    company, = Company.find([], limit=1)
    today = dt.date.today()
    chart = chart_template(config)
    # the account test tools look records up by their English names
    with config.set_context(language='en'):
        if not Account.find([('company', '=', company.id)]):
            create_chart(company, chart=chart, config=config)
        if not FiscalYear.find([
                    ('company', '=', company.id),
                    ('start_date', '<=', today),
                    ('end_date', '>=', today),
                    ]):
            fiscalyear = set_fiscalyear_invoice_sequences(
                create_fiscalyear(company, config=config), config=config)
            fiscalyear.click('create_period')
        accounts = get_accounts(company, config=config)
    if not PaymentMethod.find([('company', '=', company.id)]):
        journal, = Journal.find([('type', '=', 'cash')], limit=1)
        PaymentMethod(name="Depósito bancario", journal=journal,
            credit_account=accounts['cash'],
            debit_account=accounts['cash']).save()


def load(config):
    "Load the demo data of the activated modules with a proteus config"
    from proteus import Model
    Module = Model.get('ir.module', config=config)
    activated = {m.name for m in Module.find([('state', '=', 'activated')])}
    for module in MODULES:
        if module not in activated:
            continue
        if module == 'insurance_claims' and 'account_invoice' in activated:
            # after the directory's demo, which creates the company, and
            # before the demos that invoice (claims, distributor)
            accounting(config)
        try:
            demo = importlib.import_module('trytond.modules.%s.demo' % module)
        except ModuleNotFoundError:
            continue
        demo.load(config)
    # the demo is configured: no configuration wizard at the first login
    Item = Model.get('ir.module.config_wizard.item', config=config)
    for item in Item.find([('state', '!=', 'done')]):
        item.state = 'done'
        item.save()


def main(database):
    from proteus import config as pconfig
    config = pconfig.set_trytond(
        database, config_file=os.environ.get('TRYTOND_CONFIG'))
    load(config)


if __name__ == '__main__':
    main(sys.argv[1])
