"""Report: the manifests in, ``report.json`` and ``report.html`` out, plus a terminal summary.
``stage.run`` is the stage; ``stage.build`` folds records into the ``model.Report``."""
