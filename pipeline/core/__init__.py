"""What every stage shares: records, manifests, settings, errors, paths, progress,
the work folder, the process pools and the one HTTP session. Imports no stage."""
