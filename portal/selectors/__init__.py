"""Reads with a rule: what a page shows, worked out in the database, scoped by `permissions`."""
