"""billysync: a webshop's bookkeeping in Billy (billy.dk, API v2) with no manual entry.

Layers (CONTRIBUTING.md, "Layers"; import-linter keeps them), imports go down only:
    cli → web → sync → mapping → (billy | shop | store)
`emulators` stand beside the service: stand-ins for Billy's and Shoporama's servers.
"""

__version__ = "0.1.0"
