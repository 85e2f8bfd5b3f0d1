"""The demo (`make demo`, settings.DEMO): the app on its own SQLite file with a synthetic
follow-up history (history.py, its words in notes.py), made by `manage.py demo_history`.
What pages and exports say about it is tracker.notice."""
