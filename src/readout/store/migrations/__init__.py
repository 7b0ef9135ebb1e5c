"""Alembic migrations of readout's store, run by readout.store.connect on every open."""
