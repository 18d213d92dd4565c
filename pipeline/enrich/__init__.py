"""Enrich: ``probe.jsonl`` in, ``enrich.jsonl`` out (one record per work, from the providers).
``stage.run`` is the stage; ``stage.enrich_one`` looks up one work (``providers/``, ``match``)."""
