"""The web app's routes, one module per page group (and one each for webhooks and the JSON API)."""
