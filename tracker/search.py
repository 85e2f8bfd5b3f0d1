"""Full-text search over recommendations' titles and texts, in one syntax on both databases
(PostgreSQL's websearch syntax): words, all of which must match; "quoted phrases"; OR
between alternatives; -word (or -"a phrase") to leave out. As in PostgreSQL, OR binds
loosest: `a OR b c` is a, or b and c together. Words are stemmed (English) on both;
PostgreSQL also ignores stop words ("the", "of"), which SQLite's index keeps.

PostgreSQL reads the syntax itself (websearch_to_tsquery, the GIN index of
hearings/migrations/0002); on SQLite the query is parsed here and each term looked up in
the FTS5 index of hearings/migrations/0003.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from hearings.translation import DEFAULT, active_language, column

FTS_TABLE = "hearings_recommendation_fts"
TITLE_FTS_TABLE = "hearings_recommendation_title_fts"
# PostgreSQL's text search configuration of each language (its index in migration 0007).
SEARCH_CONFIGS = {
    "ar": "arabic",
    "zh-hans": "simple",
    "fr": "french",
    "ru": "russian",
    "es": "spanish",
}
TOKEN = re.compile(r'-?"[^"]*"?|\S+')
WORD = re.compile(r"\w")


@dataclass
class Clause:
    """Terms that must all be there, and terms that must not."""

    required: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def parse(text: str) -> list[Clause]:
    """The alternatives of a query (OR between them), each a clause; empty for no word."""
    clauses = [Clause()]
    for token in TOKEN.findall(text):
        if token.upper() == "OR":
            if clauses[-1].required or clauses[-1].excluded:
                clauses.append(Clause())
            continue
        negative = token.startswith("-") and len(token) > 1
        term = (token[1:] if negative else token).strip('"')
        if not WORD.search(term):
            continue  # punctuation alone: no word to look for
        (clauses[-1].excluded if negative else clauses[-1].required).append(term)
    return [c for c in clauses if c.required or c.excluded]


def _fts(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _matching_ids(expression: str, table: str = FTS_TABLE) -> RawSQL:
    # The table name is a constant; the user's query is a parameter.
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608
    return RawSQL(sql, [expression])  # noqa: S611


def _sqlite_matches(clauses: list[Clause], table: str, prefix: str = "") -> Q:
    matches = Q()
    for clause in clauses:
        found = Q()
        for term in clause.required:
            found &= Q(pk__in=_matching_ids(prefix + _fts(term), table))
        for term in clause.excluded:
            found &= ~Q(pk__in=_matching_ids(prefix + _fts(term), table))
        matches |= found
    return matches


def recommendations_search(queryset: QuerySet, text: str) -> QuerySet:
    """The recommendations whose title or text match the query; all of them for a query
    with no word in it."""
    clauses = parse(text.strip())
    if not clauses:
        return queryset
    language = active_language()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        matches = Q(search=SearchQuery(text, config="english", search_type="websearch"))
        queryset = queryset.annotate(search=SearchVector("title", "text", config="english"))
        if language != DEFAULT:
            config = SEARCH_CONFIGS[language]
            vector = SearchVector(column("title", language), config=config)
            queryset = queryset.annotate(search_local=vector)
            matches |= Q(search_local=SearchQuery(text, config=config, search_type="websearch"))
        return queryset.filter(matches)
    matches = _sqlite_matches(clauses, FTS_TABLE)
    if language != DEFAULT:
        matches |= _sqlite_matches(clauses, TITLE_FTS_TABLE, f"{column('title', language)} : ")
    return queryset.filter(matches)
