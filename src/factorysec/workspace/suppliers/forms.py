"""The supplier's answer form and the factory's verdict form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from factorysec.workspace.factories.forms import UncutCharField
from factorysec.workspace.suppliers.portal import ANSWERS, REVIEW_COMMENT_MAX_LENGTH


class AnswerForm(forms.Form):
    subject = forms.CharField(max_length=128, widget=forms.HiddenInput)
    item = forms.CharField(max_length=128, widget=forms.HiddenInput)
    answer = forms.ChoiceField(label=_("Answer"), choices=[(a, a) for a in ANSWERS])
    evidence = UncutCharField(label=_("Evidence"), max_length=2000, required=False)
    note = UncutCharField(label=_("Note"), max_length=2000, required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=[("accepted", _("accept")), ("questioned", _("question"))])
    comment = UncutCharField(label=_("Comment"), max_length=REVIEW_COMMENT_MAX_LENGTH, required=False)
