"""Probe: ``scan.jsonl`` in, ``probe.jsonl`` out (name parse, MediaInfo, tags, book metadata).
``stage.run`` is the stage; ``stage.probe_one`` the pure per-file function run in workers."""
