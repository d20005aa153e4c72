"""Forms of change requests: propose (optionally with a change file), sign off."""

from __future__ import annotations

from django import forms

from factorysec.workspace.changes.models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH, Verdict


class ProposeForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(widget=forms.Textarea, required=False, max_length=DESCRIPTION_MAX_LENGTH)
    change_file = forms.FileField(
        required=False,
        help_text="A change file as 'factorysec review' reads it; its base is the factory as stored here.",
    )


class UploadForm(forms.Form):
    change_file = forms.FileField(help_text="A change file; its base is this change's draft as it stands.")


class SignOffForm(forms.Form):
    approver = forms.CharField(max_length=200, widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=Verdict.choices)
    reason = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)
