"""Scan: library roots in, ``scan.jsonl`` out (one record per file, sorted by path).
``stage.run`` is the stage; ``walk.walk_tree`` the per-folder hot loop."""
