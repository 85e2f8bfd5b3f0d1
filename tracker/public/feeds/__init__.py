"""Atom feeds of published status updates at /feeds/: all, per actor, per theme, per Global
Compact objective (Django's syndication framework, served through public_view)."""
