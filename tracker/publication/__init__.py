"""What of the follow-up is public: the site's switch, published notes, what a coordinator
keeps out of public view, and the version every public page's cache and ETag are keyed on.

An app of its own (label `publication`) below the services, like the evidence files: the
services publish a note in the transaction that records it; the public site (tracker.public)
reads through `visibility`.
"""
