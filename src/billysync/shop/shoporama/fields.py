"""Every Shoporama field name billysync reads, in one place, each with its evidence.

Shoporama's order, return and customer JSON has never been seen live (`docs/shoporama-api.md`
§3, §5, §8): most names below are reconstructed. When a real payload
shows a different name, correct it here, in one line, and the client, the mapper and the
webhook parser follow. The Shoporama emulator speaks these same names on purpose; a test
(`tests/emulators/test_shoporama_fields.py`) fails when the two drift apart.

Evidence tags (docs/shoporama-api.md §0):
  DOC       stated on a Shoporama page (confirmed name)
  LIVE      seen in a captured real response (confirmed name)
  CLIENT    sent or expected by a third-party client (probably right)
  THEME     Shoporama's template method turned into snake_case (inferred key)
  INFERRED  our own conclusion or choice (least certain: check these first)
"""

from __future__ import annotations

from typing import Final

# --- REST resources and list keys ------------------------------------------------------
RESOURCE_ORDER: Final = "order"  # DOC S2
RESOURCE_RETURN: Final = "order-return"  # DOC S2
RESOURCE_CUSTOMER: Final = "customer"  # DOC S2
RESOURCE_PRODUCT: Final = "product"  # DOC S1, LIVE S14/S15
RESOURCE_CATEGORY: Final = "category"  # LIVE S15 (answers a bare array, no paging)
LIST_ORDERS: Final = "orders"  # CLIENT S13/S15
LIST_RETURNS: Final = "order_returns"  # INFERRED (plural of order-return; paging finds any list)
LIST_CUSTOMERS: Final = "customers"  # UNVERIFIED S15
LIST_PRODUCTS: Final = "products"  # LIVE S14/S15
PAGING: Final = "paging"  # LIVE S15: {offset, limit, count, total}
PAGING_TOTAL: Final = "total"  # LIVE S15
PAGING_COUNT: Final = "count"  # LIVE S15
PARAM_LIMIT: Final = "limit"  # DOC S1
PARAM_OFFSET: Final = "offset"  # DOC S1
PARAM_LAST_MODIFIED: Final = "last_modified"  # DOC S1 for product; INFERRED for order/return

# --- Order: identifiers and dates (docs/shoporama-api.md §3.1) ------------------------------------
ORDER_ID: Final = "order_id"  # CLIENT S13 (primary key, /REST/order/{order_id})
ORDER_NUMBER: Final = "webshop_order_id"  # THEME getWebshopOrderId (the number customers see)
ORDER_INVOICE_ID: Final = "invoice_id"  # DOC S3 (writable); fallback for the order number
ORDER_BASKET_ID: Final = "basket_id"  # DOC S3
ORDER_TIME: Final = "time"  # THEME getTime
# INFERRED ("time, maybe created", docs/shoporama-api.md §3.1)
ORDER_TIME_FALLBACK: Final = "created"
LAST_MODIFIED: Final = "last_modified"  # LIVE on product/category; INFERRED on order/return

# --- Order: status and payment (docs/shoporama-api.md §3.2, §3.6) ---------------------------------
ORDER_STATUS: Final = "status"  # DOC S3 (writable); values INFERRED, see the sets below
ORDER_PAID: Final = "paid"  # DOC S3 (writable), THEME getPaid; 0/1 INFERRED
ORDER_PAYMENT_GATEWAY: Final = "payment_gateway"  # THEME getPaymentGateway
ORDER_CURRENCY: Final = "currency"  # INFERRED (none found; the shop's currency is the default)

# Status values. Only "new" and "shipped" appear in Shoporama's text (DOC S6/S7); the rest
# are INFERRED. A status in none of these sets makes the order unmappable on purpose: a
# surprise status must be looked at, not guessed. Compared lower-cased, as text.
OPEN_STATUSES: Final = frozenset({"new", "pending", "processing", "packed", "received"})
SHIPPED_STATUSES: Final = frozenset({"shipped", "sent", "delivered", "completed"})
CANCELLED_STATUSES: Final = frozenset({"cancelled", "canceled", "withdrawn", "rejected"})

# --- Order: buyer ("order_") address (docs/shoporama-api.md §3.4) ---------------------------------
ORDER_CUSTOMER_ID: Final = "customer_id"  # UNVERIFIED S15 (Hackorama filters orders by it)
ORDER_NAME: Final = "order_name"  # THEME
ORDER_COMPANY: Final = "order_company_name"  # THEME
ORDER_ADDRESS: Final = "order_address"  # THEME
ORDER_ZIPCODE: Final = "order_zipcode"  # THEME
ORDER_CITY: Final = "order_city"  # THEME
ORDER_COUNTRY: Final = "order_country"  # THEME (ISO code or a country name; both are read)
ORDER_COUNTRY_ID: Final = "order_country_id"  # DOC S3 (Shoporama's own id; not used: unknown ids)
ORDER_EMAIL: Final = "email"  # THEME
ORDER_PHONE: Final = "phone"  # THEME
ORDER_EAN: Final = "ean_number"  # THEME
ORDER_CVR: Final = "cvr"  # INFERRED (name unknown; Hackorama guesses cvr for customers)
ORDER_CVR_FALLBACK: Final = "vat_number"  # INFERRED (Hackorama's other guess)
ORDER_COMMENTS: Final = "comments"  # THEME

# Delivery ("del_") address: THEME; read by nobody yet (Billy's contact is the buyer).
DELIVERY_NAME: Final = "del_name"  # THEME
DELIVERY_COMPANY: Final = "del_company_name"  # THEME
DELIVERY_ADDRESS: Final = "del_address"  # THEME
DELIVERY_ZIPCODE: Final = "del_zipcode"  # THEME
DELIVERY_CITY: Final = "del_city"  # THEME
DELIVERY_COUNTRY_ID: Final = "del_country_id"  # DOC S3

# --- Order: money (docs/shoporama-api.md §3.3, §3.6) ----------------------------------------------
ORDER_TOTAL: Final = "total_price"  # THEME (incl. VAT INFERRED)
ORDER_VAT: Final = "vat"  # THEME (the VAT amount, "Moms udgør")
ORDER_SUBTOTAL: Final = "price"  # THEME (maybe the lines' subtotal; not relied on)
ORDER_SHIPPING_ID: Final = "shipping_id"  # DOC S3
ORDER_SHIPPING_NAME: Final = "shipping_name"  # INFERRED (THEME getShipping()->getName())
ORDER_SHIPPING_OBJECT: Final = "shipping"  # INFERRED (a nested {name} is also read)
ORDER_SHIPPING_PRICE: Final = "shipping_price"  # THEME
ORDER_TRACKING_NUMBER: Final = "tracking_number"  # THEME
ORDER_VOUCHER_ID: Final = "voucher_id"  # DOC S3
ORDER_VOUCHER_CODE: Final = "voucher_code"  # DOC S3
ORDER_VOUCHER_DISCOUNT: Final = "voucher_discount"  # DOC S3 (the voucher's value or percent)
ORDER_VOUCHER_AMOUNT: Final = "voucher_discount_amount"  # DOC S3 (money taken off, INFERRED)
ORDER_GIFT_CARDS: Final = "gift_cards"  # INFERRED (our choice: [{code, amount}]; none found)
GIFT_CARD_CODE: Final = "code"  # INFERRED
GIFT_CARD_AMOUNT: Final = "amount"  # INFERRED (the value redeemed on this order)

# --- Order lines (docs/shoporama-api.md §3.5) -----------------------------------------------------
ORDER_LINES: Final = "products"  # DOC S3 (writable list of lines)
LINE_PRODUCT_ID: Final = "product_id"  # THEME
LINE_ITEM_NUMBER: Final = "own_id"  # INFERRED (the variant's SKU; falls back to product_id)
LINE_NAME: Final = "name"  # THEME
LINE_QUANTITY: Final = "amount"  # THEME; Shoporama's word for quantity (DOC S11, LIVE basket)
LINE_UNIT_PRICE: Final = "unit_price"  # THEME (incl. VAT INFERRED for Danish B2C shops)
LINE_ATTRIBUTES: Final = "attributes"  # THEME (the chosen variant values)
LINE_ATTRIBUTE_NAME: Final = "name"  # INFERRED
LINE_ATTRIBUTE_VALUE: Final = "val"  # THEME

# --- Returns: /REST/order-return (docs/shoporama-api.md §5: no field known; all INFERRED) ---------
RETURN_ID: Final = "order_return_id"  # INFERRED (by analogy with order_id, product_id)
RETURN_ORDER_ID: Final = "order_id"  # INFERRED
RETURN_ORDER_NUMBER: Final = "webshop_order_id"  # INFERRED (falls back to order_id)
RETURN_TIME: Final = "created"  # INFERRED (as on product)
RETURN_LINES: Final = "products"  # INFERRED (as on order); line keys as on order lines
RETURN_SHIPPING: Final = "shipping_price"  # INFERRED (shipping refunded, 0 when not)
RETURN_TOTAL: Final = "total_price"  # INFERRED (the amount credited)
RETURN_REFUNDED: Final = "refunded"  # INFERRED (0/1: money paid back in the gateway)
RETURN_CURRENCY: Final = "currency"  # INFERRED
RETURN_COMMENT: Final = "comment"  # INFERRED

# --- Customers: /REST/customer (docs/shoporama-api.md §8.6: names INFERRED) -----------------------
CUSTOMER_ID: Final = "customer_id"  # UNVERIFIED S15
CUSTOMER_NAME: Final = "name"  # INFERRED
CUSTOMER_COMPANY: Final = "company_name"  # INFERRED
CUSTOMER_ADDRESS: Final = "address"  # INFERRED
CUSTOMER_ZIPCODE: Final = "zipcode"  # INFERRED
CUSTOMER_CITY: Final = "city"  # INFERRED
CUSTOMER_COUNTRY: Final = "country"  # INFERRED
CUSTOMER_EMAIL: Final = "email"  # INFERRED
CUSTOMER_PHONE: Final = "phone"  # INFERRED
CUSTOMER_CVR: Final = "cvr"  # UNVERIFIED S15 (Hackorama's guess)
CUSTOMER_EAN: Final = "ean_number"  # INFERRED (as on order)

# --- Products (docs/shoporama-api.md §4: LIVE) ----------------------------------------------------
PRODUCT_ID: Final = "product_id"  # LIVE
PRODUCT_ITEM_NUMBER: Final = "own_id"  # LIVE (SKU; falls back to product_id when empty)
PRODUCT_NAME: Final = "name"  # LIVE
PRODUCT_PRICE: Final = "price"  # LIVE (JSON number)
PRODUCT_SALE_PRICE: Final = "sale_price"  # LIVE (number or null; not the list price)
PRODUCT_VAT: Final = "vat"  # LIVE (null = the shop's default rate, INFERRED)
PRODUCT_REMOVED_ON: Final = "removed_on"  # LIVE
PRODUCT_ATTRIBUTES: Final = "attributes"  # LIVE key, always [] live; read shape INFERRED
PRODUCT_STOCK_SETTINGS: Final = "stock_settings"  # LIVE key, always [] live
# A product attribute, INFERRED: {attribute_id, name, values: [{attribute_value_id, value}]}
ATTRIBUTE_ID: Final = "attribute_id"  # CLIENT S12 (write shape)
ATTRIBUTE_NAME: Final = "name"  # INFERRED
ATTRIBUTE_VALUES: Final = "values"  # INFERRED
ATTRIBUTE_VALUE_ID: Final = "attribute_value_id"  # CLIENT S12 (write shape)
ATTRIBUTE_VALUE_NAME: Final = "value"  # CLIENT S12 (write shape `attributes:[{..., value}]`)
# A variant = one stock_settings entry (CLIENT S12 write shape; read shape INFERRED).
VARIANT_ITEM_NUMBER: Final = "own_id"  # CLIENT S12: each variant carries its own SKU
VARIANT_SECONDARY_ITEM_NUMBER: Final = "sec_own_id"  # CLIENT S12
VARIANT_ATTRIBUTE_ID: Final = "attribute_id"  # CLIENT S12
VARIANT_VALUE_ID: Final = "attribute_value_id"  # CLIENT S12
VARIANT_PRICE: Final = "price"  # INFERRED (a variant's own price, when it differs)
VARIANT_PURCHASE_PRICE: Final = "purchase_price"  # CLIENT S12 (not read: cost price)
VARIANT_NAME: Final = "name"  # INFERRED (used when the value id cannot be resolved)

# --- Stock (docs/shoporama-api.md §2, §6) ---------------------------------------------------------
STOCK_ITEM_NUMBER: Final = "own_id"  # INFERRED (POST /REST/stock uses "SKU", CLIENT S12)
STOCK_LEVEL: Final = "stock"  # CLIENT S12

# --- Webhooks (docs/shoporama-api.md §6) ----------------------------------------------------------
EVENT_ORDER_CREATED: Final = "order_created"  # DOC S6
EVENT_PAID: Final = "paid"  # DOC S6
EVENT_NEW_STATUS: Final = "new_status"  # DOC S6
EVENT_NEW_RETURN: Final = "new_return"  # DOC S6
EVENT_ORDER_WITHDRAWN: Final = "order_withdrawn"  # DOC S6 (newer copy; meaning INFERRED)
EVENT_PRODUCT: Final = "product"  # DOC S6/S7
EVENT_STOCK: Final = "stock"  # DOC S6/S7
EVENT_CATEGORY: Final = "category"  # DOC S6/S7
EVENT_CUSTOMER_CREATED: Final = "customer_created"  # DOC S6
ORDER_EVENTS: Final = frozenset(
    {EVENT_ORDER_CREATED, EVENT_PAID, EVENT_NEW_STATUS, EVENT_ORDER_WITHDRAWN}
)
# The body's envelope is unknown (S6 is cut off before it). INFERRED: an object with the
# event name and the full object under a data key; a bare object is read as well.
WEBHOOK_EVENT_KEYS: Final = ("event", "type")  # INFERRED
WEBHOOK_OBJECT_KEYS: Final = ("data", "object")  # INFERRED
WEBHOOK_QUERY_TYPE: Final = "type"  # DOC S5 (app callbacks: ?type={type}&webshop_id={id})
SIGNATURE_HEADER: Final = "X-Shoporama-Signature"  # INFERRED (not published; configurable)
