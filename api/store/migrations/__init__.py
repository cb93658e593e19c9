"""Alembic's migrations of the store's schema; `api.store.migrate` runs them."""
