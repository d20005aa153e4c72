"""Problems found in model input, each tied to a file, line and field (:class:`Problem` lives below the model and the catalog)."""

from __future__ import annotations

from factorysec.problems import Problem, field_path

__all__ = ["ModelInputError", "Problem", "field_path"]


class ModelInputError(Exception):
    """The model input is invalid; ``problems`` lists every problem found, sorted by place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))
