"""The shared web workspace: a Django project beside the core.

Apps, one per domain, each with the same file names per layer (``models.py``,
``store.py`` or ``permissions.py``, ``views.py``, ``urls.py``, ``api.py``):

- ``factories``: factory spaces and their element store (one row per model
  element, validated by the model's own pydantic classes and checks), history,
  snapshots, YAML import and export;
- ``accounts``: roles per factory (Table 1-1's departments, vendors) and what
  each may do;
- ``results``: the analysis of a stored model, rendered as findings.

Nothing in ``model/``, ``analysis/`` or ``report/`` imports Django; the
workspace only calls them.
"""
