"""Stand-ins for the servers we cannot run here: Billy (`billy`) and Shoporama (`shoporama`).

They serve tests and the embedded demo. They may use Billy's pure totals algorithm and
the canonical shop models, never the service itself (store, engine, web).
"""
