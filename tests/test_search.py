"""Full-text search: one syntax on SQLite (FTS5) and PostgreSQL (websearch): words (all must
match), "quoted phrases", OR, -word. The shared cases use words whose stemmed and exact
matches are the same in the catalogue (checked by the first test), so both databases must
give exactly what the plain reading below gives; stemming itself is tested apart."""

import re

import pytest
from django.urls import reverse

from hearings.models import Recommendation
from tracker.search import parse, recommendations_search

pytestmark = pytest.mark.django_db

# (query, what it means, written out): `has` tells whether a word or phrase occurs.
CASES = [
    ("trafficking", lambda has: has("trafficking")),
    ("labour recruitment", lambda has: has("labour") and has("recruitment")),
    ("Recruitment LABOUR", lambda has: has("labour") and has("recruitment")),
    ('"labour rights"', lambda has: has("labour rights")),
    ("trafficking OR smuggling", lambda has: has("trafficking") or has("smuggling")),
    # OR binds loosest, as in PostgreSQL: diaspora, or detention and children together.
    (
        "diaspora OR detention children",
        lambda has: has("diaspora") or (has("detention") and has("children")),
    ),
    ("recruitment -labour", lambda has: has("recruitment") and not has("labour")),
    (
        'diaspora -"diaspora organizations"',
        lambda has: has("diaspora") and not has("diaspora organizations"),
    ),
    ("-recruitment", lambda has: not has("recruitment")),
    (
        'xenophobia OR "labour rights" OR portability',
        lambda has: has("xenophobia") or has("labour rights") or has("portability"),
    ),
]
STEMS = [
    "trafficking",
    "smuggling",
    "labour",
    "recruitment",
    "diaspora",
    "detention",
    "children",
    "xenophobia",
    "portability",
    "domestic",
]  # fmt: skip


def words(rec) -> list[str]:
    return re.findall(r"\w+", f"{rec.title} {rec.text}".lower())


def has_in(rec):
    tokens = words(rec)

    def has(phrase: str) -> bool:
        wanted = phrase.lower().split()
        return any(tokens[i : i + len(wanted)] == wanted for i in range(len(tokens)))

    return has


def searched(query: str) -> set[str]:
    return set(
        recommendations_search(Recommendation.objects.current(), query).values_list(
            "code", flat=True
        )
    )


def test_the_shared_words_match_the_same_recommendations_stemmed_or_not(loaded_report):
    """Guards the cases: a catalogue change that adds "recruiter" would make them unfair."""
    for word in STEMS:
        stem = word[: max(4, len(word) - 3)]
        exact = {r.code for r in Recommendation.objects.current() if word in words(r)}
        family = {
            r.code
            for r in Recommendation.objects.current()
            if any(w.startswith(stem) for w in words(r))
        }
        assert exact == family, word


@pytest.mark.parametrize(("query", "meaning"), CASES, ids=[q for q, _m in CASES])
def test_search_syntax_on_this_database(loaded_report, query, meaning):
    expected = {r.code for r in Recommendation.objects.current() if meaning(has_in(r))}
    assert expected, f"{query!r} matches nothing: not a useful case"
    assert searched(query) == expected


def test_the_list_page_searches_with_the_same_syntax(client, loaded_report, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw-for-tests")
    client.force_login(user)
    response = client.get(reverse("recommendations"), {"q": "trafficking OR smuggling"})
    listed = {rec.code for rec in response.context["page"].object_list}
    assert listed == searched("trafficking OR smuggling") & set(
        Recommendation.objects.main().values_list("code", flat=True)
    )


@pytest.mark.parametrize("query", ["", "   ", "&&", '"', "- -", "OR", '""'])
def test_a_query_with_no_word_leaves_the_list_as_it_is(loaded_report, query):
    assert searched(query) == set(Recommendation.objects.current().values_list("code", flat=True))


def test_stemming_finds_other_forms_of_a_word(loaded_report):
    """English stemming on both (PostgreSQL's Snowball, FTS5's Porter): "migrant" finds
    "migrants", "recruiting" finds "recruitment"."""
    plural = {r.code for r in Recommendation.objects.current() if "migrants" in words(r)}
    assert plural <= searched("migrant")
    assert searched("recruiting") == searched("recruitment")


def test_search_follows_every_change(loaded_report):
    """On SQLite through the FTS5 index's triggers; on PostgreSQL the index is an expression."""
    rec = Recommendation.objects.get(code="R30a")
    rec.title = "Zanzibarian corrections"
    rec.save(update_fields=["title"])
    assert searched("zanzibarian") == {"R30a"}
    rec.title = "Back again"
    rec.save(update_fields=["title"])
    assert searched("zanzibarian") == set()


def test_the_parser_splits_alternatives_and_leaves_out_negated_terms():
    clauses = parse('a OR b c -d -"e f" "g h" OR i OR')
    assert [(c.required, c.excluded) for c in clauses] == [
        (["a"], []),
        (["b", "c", "g h"], ["d", "e f"]),
        (["i"], []),
    ]
