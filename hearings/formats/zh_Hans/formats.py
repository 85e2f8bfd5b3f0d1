"""Chinese (simplified): Django's formats, times with their zone."""

DATETIME_FORMAT = "Y年n月j日 H:i T"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i T"
