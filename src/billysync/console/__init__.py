"""The merchant's commands on the command line: shops, settings, the setup check, orders.

Each answers in words (in BILLYSYNC_LANGUAGE, English by default) or with `--json`, and ends
with one of the exit codes documented in docs/cli.md; none shows a traceback.
"""
