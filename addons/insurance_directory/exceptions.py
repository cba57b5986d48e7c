# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.model.exceptions import AccessError, ValidationError


class ContactValidationError(ValidationError):
    pass


class RegionValidationError(ValidationError):
    pass


class SystemFieldError(AccessError):
    "A client tried to set a field that only the model's own code writes"


class SingletonDeleteError(AccessError):
    pass


class FieldValueError(ValidationError):
    "A client sent a value of the wrong type or out of bounds"


class AmountLimitError(ValidationError):
    "An amount exceeds the configured maximum"
