"""The workspace's free-text fields are checked by the form, not cut by the browser.

Django writes ``maxlength`` on an input or text area of a ``CharField`` with a ``max_length``, and a browser then cuts a
pasted text at the limit without a word: what was cut was lost unseen (a change's description past 10,000 characters,
a decision's justification past its limit, a supplier's evidence past 2,000). The fields render without it, and a text
over the limit is refused naming the field, with what was typed kept in the form.
"""

from __future__ import annotations

import re

import pytest
from django import forms

from factorysec.workspace.audit.forms import DecisionForm
from factorysec.workspace.changes.forms import ProposeForm, SignOffForm
from factorysec.workspace.suppliers.forms import AnswerForm, VerdictForm

FORMS: list[tuple[type[forms.Form], dict[str, str], tuple[str, ...]]] = [
    (ProposeForm, {"title": "t"}, ("title", "description")),
    (SignOffForm, {"approver": "a", "verdict": "approved"}, ("reason",)),
    (DecisionForm, {"finding": "F@x", "status": "accepted", "justification": "j", "owner": "o"}, ("justification",)),
    (AnswerForm, {"subject": "s", "item": "i", "answer": "yes"}, ("evidence", "note")),
    (VerdictForm, {"verdict": "accepted"}, ("comment",)),
]


@pytest.mark.parametrize(("form_class", "valid", "fields"), FORMS, ids=lambda v: getattr(v, "__name__", ""))
def test_no_visible_text_field_carries_a_maxlength(
    form_class: type[forms.Form], valid: dict[str, str], fields: tuple[str, ...]
) -> None:
    rendered = str(form_class())
    assert not re.search(r'<(input|textarea)(?![^>]*type="hidden")[^>]*maxlength', rendered), rendered


@pytest.mark.parametrize(("form_class", "valid", "fields"), FORMS, ids=lambda v: getattr(v, "__name__", ""))
def test_a_text_over_its_limit_is_refused_at_its_field_and_kept(
    form_class: type[forms.Form], valid: dict[str, str], fields: tuple[str, ...]
) -> None:
    for name in fields:
        field = form_class.base_fields[name]
        assert isinstance(field, forms.CharField) and field.max_length
        typed = "x" * (field.max_length + 1)
        form = form_class(data={**valid, name: typed})
        assert not form.is_valid() and list(form.errors) == [name], form.errors
        assert typed in str(form[name])
