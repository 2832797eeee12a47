"""`python -m billysync` is the same as the `billysync` command."""

from billysync.cli import app

app(prog_name="billysync")
