"""The public face of the follow-up: /public/ pages, /data/ open data and /feeds/ (no login).

Reads only what tracker.publication.visibility says is public, through its own selectors
and serializers; every view is wrapped by serving.public_view (the switch, conditional GET,
the shared cache, throttling, no cookies)."""
