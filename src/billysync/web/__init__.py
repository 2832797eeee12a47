"""The web side: webhook receivers, the JSON API for any shop, and the merchant's admin pages."""
