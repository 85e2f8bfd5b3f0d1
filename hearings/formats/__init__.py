"""Date formats per language (FORMAT_MODULE_PATH), over Django's own for each locale.

Templates and e-mails name formats (`|date:"DATE_FORMAT"`, `"SHORT_DATE_FORMAT"`,
`"DATETIME_FORMAT"`, `"SHORT_DATETIME_FORMAT"`), never a pattern of their own, so each
language writes dates its way. English keeps the UN's "15 July 2013"; a time always says
its zone (`T`: the user's, tracker.middleware), which Django's formats leave out.
"""
