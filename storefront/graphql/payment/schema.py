from . import types  # noqa: F401
from .mutations import checkout_payment_create, payment_gateway_initialize, transaction_initialize  # noqa: F401
