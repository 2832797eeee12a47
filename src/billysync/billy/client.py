"""Placeholder replaced by the Billy client (issue 2)."""
