"""English: the UN's day-month-year ("15 July 2013"), 24-hour times with their zone."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y H:i T"
SHORT_DATETIME_FORMAT = "j M Y H:i T"
