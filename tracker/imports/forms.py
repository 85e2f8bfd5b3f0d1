"""Forms of the bulk import: the upload, and the confirmation of a previewed file."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import reading

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Follow-up spreadsheet (CSV or XLSX)"),
        help_text=_(
            "An export of the follow-up lines with the NEW status, NEW note and NEW effective "
            "date filled in on the rows to update. Other columns are ignored."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked before reading: the body is already on disk, but not in memory.
        if upload.size > reading.max_bytes():
            raise ValidationError(
                _("The file is larger than %(mb)s MB. Split it, or import fewer lines at a time.")
                % {"mb": reading.megabytes(reading.max_bytes())}
            )
        data = upload.read(reading.max_bytes() + 1)
        try:
            self.table = reading.table_read(upload.name, data)
        except reading.ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        self.sha256 = reading.sha256(data)
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
