"""Forms of change requests: propose (optionally with a change file), sign off."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from factorysec.workspace.changes.models import (
    DESCRIPTION_MAX_LENGTH,
    SIGNOFF_REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Verdict,
)
from factorysec.workspace.factories.forms import UncutCharField


class ProposeForm(forms.Form):
    title = UncutCharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = UncutCharField(
        label=_("Description"), widget=forms.Textarea, required=False, max_length=DESCRIPTION_MAX_LENGTH
    )
    change_file = forms.FileField(
        label=_("Change file"),
        required=False,
        help_text=_("A change file as 'factorysec review' reads it; its base is the factory as stored here."),
    )


class UploadForm(forms.Form):
    change_file = forms.FileField(
        label=_("Change file"), help_text=_("A change file; its base is this change's draft as it stands.")
    )


class SignOffForm(forms.Form):
    approver = forms.CharField(max_length=200, widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=Verdict.choices)
    reason = UncutCharField(widget=forms.Textarea, required=False, max_length=SIGNOFF_REASON_MAX_LENGTH)
