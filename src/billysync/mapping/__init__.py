"""Mapping: pure functions, no I/O and no clock, from shop models and a shop's settings to
the Billy documents we would post (contact, invoice, payment, credit note, product).
"""
