"""An edit form for any model element, built from the element's pydantic class.

The form only turns posted text into the element's raw data (a list from
comma-separated words, a nested group from YAML); whether the data is right is
left to the model's own check (:mod:`factorysec.workspace.factories.store`),
whose messages are shown on the fields.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

import yaml
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from factorysec.model.field_help import field_help_ja, field_label
from factorysec.model.introspect import unwrap_annotation
from factorysec.problems import say
from factorysec.workspace.factories.sections import reader_language, value_word
from factorysec.workspace.factories.validators import uncarriable_in

Widget = Literal["text", "textarea", "number", "date", "checkbox", "select", "list", "yaml"]
_LONG_TEXT = frozenset({"description", "notes", "note", "purpose_notes", "rationale", "evidence"})


@dataclass
class FormField:
    """One input of the form: its name as written in YAML, widget, choices, current text and problems."""

    name: str
    label: str
    widget: Widget
    required: bool
    help: str
    choices: list[str] = field(default_factory=list)
    value: str = ""
    checked: bool = False
    errors: list[str] = field(default_factory=list)
    words: dict[str, str] = field(default_factory=dict)
    """A choice's word in the reader's language where it is not the choice itself (計画中 for ``planned``)."""
    default_checked: bool = False
    """A checkbox's state when the element leaves its field out: the model's default (a party is ``identified``)."""

    @property
    def options(self) -> list[tuple[str, str]]:
        """A select's options: each choice as sent and as the reader reads it."""
        return [(choice, self.words.get(choice, choice)) for choice in self.choices]

    @property
    def choices_to_list(self) -> list[str]:
        """The values a list input takes, for its help text (with their words where the reader's language has
        others: ``security-measures（セキュリティ対策）``): none when the help names each of them already."""
        named = all(re.search(rf"(?<![\w-]){re.escape(choice)}(?![\w-])", self.help) for choice in self.choices)
        if named:
            return []
        return [f"{choice}（{self.words[choice]}）" if choice in self.words else choice for choice in self.choices]


def _scalar_choices(annotation: Any) -> list[str]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    if typing.get_origin(annotation) is Literal:
        return [str(arg) for arg in typing.get_args(annotation)]
    return []


def _widget(name: str, info: FieldInfo) -> tuple[Widget, list[str]]:
    annotation = unwrap_annotation(info.annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        inner = unwrap_annotation(typing.get_args(annotation)[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return "yaml", []
        return "list", _scalar_choices(inner)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "yaml", []
    choices = _scalar_choices(annotation)
    if choices:
        return "select", choices
    if annotation is bool:
        return "checkbox", []
    if annotation is int:
        return "number", []
    if annotation is dt.date:
        return "date", []
    return ("textarea" if name in _LONG_TEXT else "text"), []


def _as_text(widget: Widget, value: Any) -> str:
    if value is None:
        return ""
    if widget == "list":
        return ", ".join(str(v) for v in value)
    if widget == "yaml":
        return "" if value in ({}, []) else yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)
    return str(value)


def element_form(item: type[BaseModel], payload: dict[str, Any] | None, *, section: str) -> list[FormField]:
    """The form's fields, filled from the stored ``payload`` (or empty for a new element).

    Each field's label is the model's (:data:`factorysec.model.field_help.FIELD_LABELS`, the one the section's list
    heads its column with) and its help its description, in Japanese on a Japanese page (:mod:`factorysec.model.field_help`,
    by ``section`` and field) and as the model's ``Field(description=...)`` otherwise; a choice reads as the glossary
    words it (:data:`~factorysec.workspace.factories.sections.FIELD_WORDS`) and is sent as written.
    """
    lang = reader_language()
    fields: list[FormField] = []
    for name, info in item.model_fields.items():
        key = info.alias or name
        widget, choices = _widget(name, info)
        value = (payload or {}).get(key)
        words = {choice: value_word(section, key, choice) for choice in choices}
        default_checked = (
            widget == "checkbox" and not info.is_required() and bool(info.get_default(call_default_factory=True))
        )
        if widget == "text" and isinstance(value, str) and "\n" in value:
            widget = "textarea"  # a one-line input would drop the line breaks a browser cannot show in it
        fields.append(
            FormField(
                name=key,
                label=field_label(section, key, lang),
                widget=widget,
                required=info.is_required(),
                help=(lang == "ja" and field_help_ja(section, key)) or info.description or "",
                choices=choices,
                value=_as_text(widget, value),
                checked=(default_checked if value is None else bool(value)) if widget == "checkbox" else False,
                words={choice: text for choice, text in words.items() if text != choice},
                default_checked=default_checked,
            )
        )
    return fields


class UncutCharField(forms.CharField):
    """A text field whose length the form checks, not the browser: Django writes ``maxlength`` on the input, and a
    browser then cuts a pasted text at the limit without a word, so what was cut is lost unseen. Without it, a text
    over the limit is refused naming the field, with what was typed kept in the form."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def newlines(text: str) -> str:
    """``text`` with the line breaks a browser sends (CR LF, as HTML forms submit a text area's) as the model writes
    them (LF): a CR is a control character the check refuses, so a description typed on two lines was refused."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_form(item: type[BaseModel], posted: QueryDict, fields: list[FormField]) -> tuple[dict[str, Any], bool]:
    """The raw element from the posted form, and whether every input could be read (YAML errors are put on their field).

    Empty inputs are left out, so the model's defaults apply and a missing
    required field is reported by the check as such. Line breaks are read as LF (a
    browser sends a text area's as CR LF); a text area keeps its text as written (a
    one-line input is stripped of surrounding blanks), so an unchanged form saves the
    same text. A checkbox is always sent: the
    form shows a field the element leaves out as the model's default (a party's
    ``identified`` ticked), so an unchanged form saves the same element. Text a model may not hold
    (a control character, as ``factorysec check`` refuses it in a file) is put on
    its field and makes the form unreadable, so nothing is saved.
    """
    payload: dict[str, Any] = {}
    readable = True
    for form_field in fields:
        text = newlines(posted.get(form_field.name, ""))
        form_field.value = text
        if form_field.widget == "checkbox":
            form_field.checked = posted.get(form_field.name) == "on"
            payload[form_field.name] = form_field.checked
            continue
        if not text.strip():
            continue
        if form_field.widget != "textarea":
            text = text.strip()
        if form_field.widget == "list":
            payload[form_field.name] = [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]
        elif form_field.widget == "yaml":
            try:
                payload[form_field.name] = yaml.safe_load(text)
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                problem = getattr(error, "problem", None) or error
                if mark is not None:
                    form_field.errors.append(
                        _("not readable as YAML (line %(line)s, column %(column)s): %(problem)s")
                        % {"line": mark.line + 1, "column": mark.column + 1, "problem": problem}
                    )
                else:
                    form_field.errors.append(_("not readable as YAML: %(problem)s") % {"problem": problem})
                readable = False
        elif form_field.widget == "number":
            try:
                payload[form_field.name] = int(text)
            except ValueError:
                payload[form_field.name] = text
        else:
            payload[form_field.name] = text
        for problem in uncarriable_in(payload.get(form_field.name), form_field.name):
            where = "" if problem.field == form_field.name else f"{problem.field}: "
            lang = reader_language()
            form_field.errors.append(f"{where}{say(problem.message, lang)} ({say(problem.hint, lang)})")
            readable = False
    return payload, readable
