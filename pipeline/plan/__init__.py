"""Plan: ``probe.jsonl`` (+ ``enrich.jsonl``) in, ``plan.jsonl`` out; touches no file.
``stage.run`` is the stage; ``decide.decide`` the per-record rule, ``verify`` audits a library."""
