"""Billy API v2: the client (`client`, one module per resource), its errors, and the
pure totals algorithm (`totals`) that both the emulator and the mapping use.

Pure: no database, no engine, no web; never imports the shop adapters.
"""
