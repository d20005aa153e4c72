"""The decision form: the fields of a ``decisions.yaml`` entry (the schema itself checks them)."""

from __future__ import annotations

from django import forms

from factorysec.workspace.audit.decisions import LIMITS
from factorysec.workspace.audit.models import DecisionStatus


class DecisionForm(forms.Form):
    finding = forms.CharField(max_length=LIMITS["finding"])
    status = forms.ChoiceField(choices=DecisionStatus.choices)
    justification = forms.CharField(widget=forms.Textarea, max_length=LIMITS["justification"])
    owner = forms.CharField(max_length=LIMITS["owner"], help_text="A user name, or a department id of the model.")
    date = forms.DateField(required=False)
    review_by = forms.DateField(required=False)
