"""Arabic: Django's dates (it has no date-time formats of its own), times with their zone."""

DATETIME_FORMAT = "j F، Y H:i T"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i T"
