"""The Shoporama adapter: speaks Shoporama's REST API and webhooks, produces canonical models.

fields     every Shoporama field name, with its evidence (correct names here only)
client     ShoporamaClient: paged, incremental reads; typed errors; counted calls
budget     CallBudget: the daily call budget per token, with a reserve and a warning
mapper     payload → Order / Return / Product / Customer, or UnmappablePayload
webhooks   verify_signature, parse_event (pure; the receiver lives in web/)
errors     the ShoporamaError tree and UnmappablePayload
"""

from billysync.shop.shoporama.budget import CallBudget
from billysync.shop.shoporama.client import ShoporamaClient
from billysync.shop.shoporama.errors import (
    BudgetExhausted,
    ShoporamaAuthError,
    ShoporamaError,
    ShoporamaNotFound,
    ShoporamaRateLimited,
    ShoporamaServerError,
    ShoporamaTransportError,
    UnmappablePayload,
)
from billysync.shop.shoporama.mapper import (
    customer_from_payload,
    order_from_payload,
    product_from_payload,
    return_from_payload,
)
from billysync.shop.shoporama.webhooks import WebhookEvent, parse_event, verify_signature

__all__ = [
    "BudgetExhausted",
    "CallBudget",
    "ShoporamaAuthError",
    "ShoporamaClient",
    "ShoporamaError",
    "ShoporamaNotFound",
    "ShoporamaRateLimited",
    "ShoporamaServerError",
    "ShoporamaTransportError",
    "UnmappablePayload",
    "WebhookEvent",
    "customer_from_payload",
    "order_from_payload",
    "parse_event",
    "product_from_payload",
    "return_from_payload",
    "verify_signature",
]
