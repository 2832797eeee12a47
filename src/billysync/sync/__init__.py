"""The transfer engine: durable workflows (DBOS) and idempotent steps, bindings, product
sync. The only package that imports dbos.

The front (`service`) takes work in through `intake.submit`; the `engine` starts workflows
(`workflows`), whose attempts run `transfer` and `returns` over `documents` and `exporter`;
`adapters` is the only place that knows a shop platform. docs/architecture.md follows an
order through these modules.
"""
