"""The staff pages' fixtures (tests/test_pages.py): accounts of every role, two lines, an
evidence file; the pages in every language are read with them."""

from tests.test_pages import evidence, line, other_line, users  # noqa: F401 - fixtures
