"""Organize: ``plan.jsonl`` in, the Jellyfin library and ``journal/<txn>.jsonl`` out.
Applies the plan behind a write-ahead journal; rollback undoes a transaction."""
