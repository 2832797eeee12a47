"""Shops: the canonical models every platform maps to (`models`) and one adapter per
platform (`shoporama`, `generic`): API client, webhook verification, payload → model.

Never imports the Billy client, the database or the engine.
"""
