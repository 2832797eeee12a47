"""The transfer engine: durable workflows (DBOS) and idempotent steps, bindings, product
sync. The only package that imports dbos.
"""
