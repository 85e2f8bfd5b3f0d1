"""Progress reports: the follow-up as it stood on any date, for any filter, as PDF, Word,
Excel and CSV. The as-of rule (asof), the sheet's columns (columns), what an export is
(options), its rows (rows), CSV and Excel (tables), the progress report (document, pdf,
word), one entry point for any format (writing), and the export page (forms, views, urls).

Reads only: through tracker.selectors, tracker.filters and the models; never writes.
"""
