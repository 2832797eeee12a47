"""Storage: engine and sessions, tables, migrations, secret encryption. Money is kept as
integer øre; every row and unique key carries the shop id.
"""
