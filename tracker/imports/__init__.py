"""Bulk import of status updates from the follow-up sheet the exports write: reading a
file (reading), the dry run (checking), confirming (applying), and the import pages
(forms, views, urls). Writes only through tracker.services.
"""
