"""Signals the report side sends; the follow-up side listens (hearings never imports it)."""

from django.dispatch import Signal

# Sent inside the loader's transaction when a load changed the catalogue, with
# `result`: a hearings.loading.LoadResult (codes created, updated, withdrawn, restored).
catalogue_loaded = Signal()
