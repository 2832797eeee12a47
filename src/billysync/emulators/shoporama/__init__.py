"""A Shoporama stand-in: REST API, signed webhooks and a seeded, realistic Danish shop.

    emulator   ShoporamaEmulator (the one object tests and the demo use)
    activity   the shop's life: orders, payments, parcels, returns, product changes
    people     customers: persons, companies with CVR, institutions with EAN, abroad
    catalogue  products, shipping methods, vouchers, names and towns
    payloads   product/customer/category payloads in Shoporama's shapes
    rest       the REST resources, paging, filters, auth and the daily call limit
    webhooks   signed deliveries in a background thread, with retries, drops, duplicates
    server     the HTTP server and `run_server` behind `billysync emulate shoporama`

Order, return and customer payloads use the names of `billysync.shop.shoporama.fields`
(without importing it: the emulator stands apart from the service); a test keeps the two
in step.
"""

from billysync.emulators.shoporama.activity import ShopEvent
from billysync.emulators.shoporama.emulator import ShoporamaEmulator
from billysync.emulators.shoporama.server import run_server, start_background_server
from billysync.emulators.shoporama.webhooks import Delivery

__all__ = [
    "Delivery",
    "ShopEvent",
    "ShoporamaEmulator",
    "run_server",
    "start_background_server",
]
