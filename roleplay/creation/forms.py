from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from roleplay.creation import services
from roleplay.models import Role, Roleplay

MUST_WORDS_HELP = _(
    "Up to %(count)d words the conversation must use, separated by commas (at most %(chars)d "
    "characters each)."
) % {"count": services.MAX_MUST_WORDS, "chars": services.MAX_MUST_WORD_CHARS}


class MustWordsField(forms.CharField):
    """Comma-separated words (the chip widget in create.js writes the same text)."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [w.strip() for w in text.replace("\n", ",").split(",") if w.strip()]

    def validate(self, value) -> None:
        if len(value) > services.MAX_MUST_WORDS:
            raise forms.ValidationError(_("At most %(n)d words.") % {"n": services.MAX_MUST_WORDS})
        if any(len(w) > services.MAX_MUST_WORD_CHARS for w in value):
            raise forms.ValidationError(
                _("Each word may have at most %(n)d characters.")
                % {"n": services.MAX_MUST_WORD_CHARS}
            )
        if len({w.casefold() for w in value}) != len(value):
            raise forms.ValidationError(_("Each word may appear only once."))


def _must_words() -> MustWordsField:
    return MustWordsField(
        label=_("Words to practise"),
        required=False,
        max_length=300,
        help_text=MUST_WORDS_HELP,
        widget=forms.TextInput(
            attrs={
                "data-must-words": "",
                "autocomplete": "off",
                "data-max-words": services.MAX_MUST_WORDS,
                "data-max-chars": services.MAX_MUST_WORD_CHARS,
            }
        ),
    )


class CreateForm(forms.Form):
    title = forms.CharField(
        label=_("Situation"),
        max_length=services.MAX_TITLE,
        help_text=_("For example: ordering a warm drink on a rainy day."),
    )
    description = forms.CharField(
        label=_("What happens?"),
        max_length=services.MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Roleplay.Language.choices)
    role0_name = forms.CharField(label=_("First person"), max_length=services.MAX_ROLE_NAME)
    role0_description = forms.CharField(
        label=_("Who are they?"), required=False, max_length=services.MAX_ROLE_DESCRIPTION
    )
    role0_voice = forms.ChoiceField(label=_("Face and voice"), choices=Role.Voice.choices)
    role1_name = forms.CharField(label=_("Second person"), max_length=services.MAX_ROLE_NAME)
    role1_description = forms.CharField(
        label=_("Who are they?"), required=False, max_length=services.MAX_ROLE_DESCRIPTION
    )
    role1_voice = forms.ChoiceField(
        label=_("Face and voice"), choices=Role.Voice.choices, initial=Role.Voice.MAN
    )
    must_words = _must_words()

    def clean(self):
        data = super().clean()
        a, b = data.get("role0_name"), data.get("role1_name")
        if a and b and a.strip().casefold() == b.strip().casefold():
            self.add_error("role1_name", _("The two people need different names."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "language": data["language"],
            "must_words": data["must_words"],
            "roles": [
                {
                    "name": data[f"role{i}_name"],
                    "description": data[f"role{i}_description"],
                    "voice": data[f"role{i}_voice"],
                }
                for i in (0, 1)
            ],
        }


class DeriveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=services.MAX_TITLE, required=False)
    must_words = _must_words()
