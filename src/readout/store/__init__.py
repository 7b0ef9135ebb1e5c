"""Storage stage: documents, people and events in SQLite (default) or PostgreSQL.

    from readout.store import open_store
    with open_store("readout.db") as store:
        store.add_records([(record, text)])   # record: one object printed by `readout extract`
        store.search_text("Manturov")
"""
from readout.store.database import Store, open_store
from readout.store.write import AddResult

__all__ = ["AddResult", "Store", "open_store"]
