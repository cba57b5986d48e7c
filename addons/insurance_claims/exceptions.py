# This file is part of the insurance backoffice.  The COPYRIGHT file at the
# top level of this repository contains the full copyright notices and license
# terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class LineValidationError(ValidationError):
    pass


class PolicyValidationError(ValidationError):
    pass


class AdjusterValidationError(ValidationError):
    pass


class ClaimValidationError(ValidationError):
    pass


class ClaimRegisterError(UserError):
    pass


class ClaimStateError(UserError):
    pass


class ReserveValidationError(ValidationError):
    pass


class DocumentValidationError(ValidationError):
    pass


class DocumentRequestError(UserError):
    pass


class ExpertValidationError(ValidationError):
    pass


class ConfigurationError(UserError):
    pass


class WrongStateError(UserError):
    pass


class TotalLossError(UserError):
    pass


class ApprovalError(UserError):
    pass


class ApprovalSignError(UserError):
    pass


class ApprovalValidationError(ValidationError):
    pass


class ReopenError(UserError):
    pass


class SettlementError(UserError):
    pass


class WorkOrderError(UserError):
    pass


class PaymentError(UserError):
    pass


class RecoveryError(UserError):
    pass


class ComplaintError(UserError):
    pass
