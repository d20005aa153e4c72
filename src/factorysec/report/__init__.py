"""Renderers: turn an Assessment into terminal text, JSON and files. They compute nothing."""
