"""One service per Billy resource, reachable from `BillyClient` (e.g. `client.invoices`)."""
