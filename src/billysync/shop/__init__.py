"""Shops: the canonical models every platform maps to (`models`) and one adapter per
platform (`shoporama`): API client, webhook verification, payload → model; and the
shop-neutral errors every adapter raises (`errors`).

Never imports the Billy client, the database or the engine.
"""
