# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.pool import Pool, PoolMeta

DISTRIBUTOR_RULE_MODELS = {
    'distributor.plan',
    'distributor.liquidation',
    'distributor.endorsement',
    'party.party',
    }


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('distributor.liquidation.task|flag_overdue',
                    "Flag Overdue Liquidation Tasks"),
                ])


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "distributor" as the id of the dealer of the current user')

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        if set(model_names) & DISTRIBUTOR_RULE_MODELS:
            key = (*key, User.get_distributor())
        return key

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        if model_name in DISTRIBUTOR_RULE_MODELS:
            context['distributor'] = User.get_distributor()
        return context
