"""Signals the factories app sends for what Django's own model signals do not carry."""

from __future__ import annotations

from django.dispatch import Signal

elements_imported = Signal()
"""Sent by :func:`~factorysec.workspace.factories.store.import_model` inside its transaction, once the elements it
created are stored, with ``factory``, ``user`` (or None), ``comment`` and ``created`` (section -> how many elements).

Those elements are written in bulk, which sends no ``post_save``: without this signal they would enter the factory
without an audit entry (element versions it changes or deletes are saved one by one and logged as any save)."""
