"""What text the app stores: what XML 1.0 can carry, so that every output (HTML, CSV,
Excel, Word, PDF, feeds) can carry whatever was accepted.

The rule, at every door (forms, the admin, the import, the API): line breaks are
normalised (`\\r\\n` and a lone `\\r` become `\\n`, as browsers send them); control
characters (Unicode category Cc: NUL, the C0 set, DEL, the C1 set) other than tab and
newline, lone surrogates, and the non-characters U+FFFE and U+FFFF are refused with a
message that names the character. Exports also clean whatever is already stored
(`printable`), so a value stored before this rule cannot break them.

Here, in the report's app, because the admin of both apps and the follow-up all use it.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls but tab (\x09) and newline (\x0a), DEL and C1, surrogates, U+FFFE, U+FFFF.
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def normalise_line_breaks(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def unsafe_character(value: str) -> tuple[int, str] | None:
    """The first character the rule refuses, as (position counted from 1, U+XXXX)."""
    found = UNSAFE_CHARACTER.search(value)
    if found is None:
        return None
    return found.start() + 1, f"U+{ord(found.group()):04X}"


@deconstructible
class SafeTextValidator:
    """Refuse text that XML 1.0 cannot carry (the module's rule), naming the character."""

    message = _(
        "This text contains a control character (%(character)s, at character %(position)s) "
        "that cannot be stored; it often comes with text pasted from another program. "
        "Remove it and try again."
    )
    code = "unsafe_character"

    def __call__(self, value):
        if not isinstance(value, str):
            return
        found = unsafe_character(value)
        if found is not None:
            position, character = found
            raise ValidationError(
                self.message,
                code=self.code,
                params={"character": character, "position": position},
            )

    def __eq__(self, other):
        return isinstance(other, SafeTextValidator)


validate_safe_text = SafeTextValidator()


def printable(value: str) -> str:
    """Stored text made safe for any output: line breaks normalised, refused characters
    removed (for values stored before the rule, or written around it)."""
    return UNSAFE_CHARACTER.sub("", normalise_line_breaks(value))


class SafeCharField(forms.CharField):
    """A form's text field under the rule: line breaks normalised, then checked."""

    default_validators = [validate_safe_text]

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_line_breaks(value)
        return super().to_python(value)


# For ModelAdmin.formfield_overrides: every text field of the admin's forms.
ADMIN_TEXT_OVERRIDES = {"form_class": SafeCharField}
