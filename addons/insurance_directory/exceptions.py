# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.model.exceptions import ValidationError


class ContactValidationError(ValidationError):
    pass


class RegionValidationError(ValidationError):
    pass
