"""Billy API v2: the client and the pure totals algorithm.

- `client.BillyClient`: one instance per access token; a service per resource under
  `resources/` (e.g. `client.invoices`), the HTTP conventions in `http.py` (envelope,
  paging, safe retries, call observer), records in `models.py`, the drawn error tree in
  `errors.py`, per-organization throttling in `ratelimit.py`.
- `totals`: Billy's invoice totals, used by the emulator and the mapping.

Pure: no database, no engine, no web; never imports the shop adapters. This file imports
nothing so that `billysync.billy.totals` stays free of httpx2 for the mapping layer.
"""
