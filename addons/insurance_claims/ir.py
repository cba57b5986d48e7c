# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.pool import Pool, PoolMeta

_REGION_RULE_MODELS = {
    'insurance.claim',
    'insurance.claim.daily',
    'insurance.claim.reserve_movement',
    'insurance.claim.large_payment',
    'insurance.claim.commercial_payment',
    'insurance.claim.total_loss',
    'insurance.claim.sla',
    }


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        if model_name in _REGION_RULE_MODELS:
            context['insurance_regions'] = User.get_insurance_regions()
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        if _REGION_RULE_MODELS & set(model_names):
            key = (*key, User.get_insurance_regions())
        return key


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('insurance.claim.deadline|check_breaches',
                    "Check Claim Deadlines"),
                ])
