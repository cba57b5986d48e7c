# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class AmountValidationError(ValidationError):
    pass


class DateValidationError(ValidationError):
    pass


class RoutingError(UserError):
    pass


class ConfigurationError(UserError):
    pass


class LiquidationStateError(UserError):
    pass


class LiquidationError(UserError):
    pass


class LiquidationDeleteError(AccessError):
    pass


class EndorsementError(UserError):
    pass


class EndorsementDeleteError(AccessError):
    pass
