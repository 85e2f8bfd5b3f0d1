"""The update form's evidence files field: several files in one input, each checked by
tracker.evidence.uploads; its cleaned value is a list of CheckedFile."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import uploads
from .models import EXTENSIONS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def accept_attribute() -> str:
    """The browser's file picker offers these endings; the server decides by content."""
    return ",".join(f".{ext}" for exts in EXTENSIONS.values() for ext in exts)


class EvidenceFilesField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Evidence files"))
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = accept_attribute()

    def __deepcopy__(self, memo):
        field = super().__deepcopy__(memo)  # limits as the settings are now, per form
        field.help_text = _(
            "Optional. Up to %(n)s files of at most %(size)s each: PDF, Word, Excel, "
            "PowerPoint, OpenDocument, or PNG, JPEG, GIF and WebP images. No macros, no "
            "SVG. Anyone logged in can download them."
        ) % {"n": uploads.max_files(), "size": filesizeformat(uploads.max_bytes())}
        return field

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not all(hasattr(f, "name") and hasattr(f, "size") for f in files):
            # Text where a file should be: the form was sent without its multipart encoding.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return uploads.check_uploads(files)
