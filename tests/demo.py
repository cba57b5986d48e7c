"""Load the demo data of every module into a database, idempotently.

python -m tests.demo DATABASE   (uses TRYTOND_CONFIG, as bin/demo sets it)
"""
import importlib
import os
import sys

MODULES = ['insurance_directory', 'insurance_claims', 'distributor_liquidation']


def load(config):
    "Load the demo data of the activated modules with a proteus config"
    from proteus import Model
    Module = Model.get('ir.module', config=config)
    activated = {m.name for m in Module.find([('state', '=', 'activated')])}
    for module in MODULES:
        if module not in activated:
            continue
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
