"""The supplier's answer form and the factory's verdict form."""

from __future__ import annotations

from django import forms

from factorysec.workspace.suppliers.portal import ANSWERS, REVIEW_COMMENT_MAX_LENGTH


class AnswerForm(forms.Form):
    subject = forms.CharField(max_length=128, widget=forms.HiddenInput)
    item = forms.CharField(max_length=128, widget=forms.HiddenInput)
    answer = forms.ChoiceField(choices=[(a, a) for a in ANSWERS])
    evidence = forms.CharField(max_length=2000, required=False)
    note = forms.CharField(max_length=2000, required=False)
    attachment = forms.FileField(required=False)


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=[("accepted", "accept"), ("questioned", "question")])
    comment = forms.CharField(max_length=REVIEW_COMMENT_MAX_LENGTH, required=False)
