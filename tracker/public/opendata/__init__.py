"""Open data at /data/: the catalogue and the public follow-up as CSV and JSON, described by
a Frictionless Data Package (/data/datapackage.json).

`resources` names every resource and its fields (one catalogue for the CSV header, the
JSON keys and the package's table schemas), `rows` reads the public rows through
tracker.publication.visibility only, `encoding` writes them as CSV (each cell through
tracker.reports.columns.cell_value) or JSON in chunks, `package` describes them,
`dates` reads `?as_of=`, `views` and `urls` serve them through tracker.public.serving.
"""
