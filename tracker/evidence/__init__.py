"""Evidence files: documents and images attached to a status update.

Its own Django app (label `evidence`, its own migrations) because it owns a table; it sits
below the core's services, which record an update with its files in one transaction, and
above the core's rules (permissions, links) and models (pyproject.toml's layers).
"""
