"""The decision form: the fields of a ``decisions.yaml`` entry (the schema itself checks them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from factorysec.workspace.audit.decisions import LIMITS
from factorysec.workspace.audit.models import DecisionStatus
from factorysec.workspace.factories.forms import UncutCharField, newlines


class DecisionForm(forms.Form):
    finding = UncutCharField(label=_("Finding"), max_length=LIMITS["finding"])
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)
    justification = UncutCharField(label=_("Justification"), widget=forms.Textarea, max_length=LIMITS["justification"])
    owner = UncutCharField(
        label=_("Owner"), max_length=LIMITS["owner"], help_text=_("A user name, or a department id of the model.")
    )
    date = forms.DateField(label=_("Date"), required=False)
    review_by = forms.DateField(label=_("Review by"), required=False)

    def clean_justification(self) -> str:
        """As ``decisions.yaml`` holds it: line breaks as LF (a browser sends a text area's as CR LF, and a CR is a
        control character the file's reader refuses)."""
        return newlines(str(self.cleaned_data["justification"]))
