"""Russian: Django's formats, times with their zone."""

DATETIME_FORMAT = "j E Y г. G:i T"  # noqa: RUF001 - Russian "year"
SHORT_DATETIME_FORMAT = "d.m.Y H:i T"
