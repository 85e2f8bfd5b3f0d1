"""Proof that the app keeps no state of its own, against two gunicorn instances on one
database: a session made through one works through the other; a login rate limit counts
failures made through both (axes' lockouts in the database, the slow-down per user name in
the shared cache); the line's lock lets one of two simultaneous updates through and refuses
the other as stale, whichever instances they reach. Each check returns (claim, held, detail).
"""

import secrets
import threading

import requests

from benchmarks.forms import post_form_fields

STALE_TEXT = "recorded an update on this line"
WRONG = "not-the-password"  # the failed logins the checks make


def _login_page(session, base: str) -> dict:
    return post_form_fields(session.get(f"{base}/auth/login/", timeout=30).text, "/auth/login/")


def _log_in(session, base: str, username: str, password: str, address=None):
    fields = _login_page(session, base)
    fields.update(username=username, password=password)
    headers = {"X-Forwarded-For": address} if address else {}
    return session.post(f"{base}/auth/login/", data=fields, allow_redirects=False,
                        headers=headers, timeout=60)  # fmt: skip


def session_across(a: str, b: str, account: dict):
    session = requests.Session()
    logged_in = _log_in(session, a, account["username"], account["password"]).status_code == 302
    through_b = session.get(f"{b}/", allow_redirects=False, timeout=60)
    fields = post_form_fields(session.get(f"{b}/", timeout=60).text, "/auth/logout/")
    session.post(f"{b}/auth/logout/", data=fields, allow_redirects=False, timeout=60)
    after = session.get(f"{a}/", allow_redirects=False, timeout=60)
    held = logged_in and through_b.status_code == 200 and after.status_code == 302
    return ("a session made through one instance works through the other, and logging out "
            "through the other ends it on the first", held,
            f"login via A: {'302' if logged_in else 'refused'}; dashboard via B: "
            f"{through_b.status_code}; via A after logout via B: {after.status_code}")  # fmt: skip


def lockout_across(a: str, b: str, limit: int):
    """`limit` wrong passwords for one name, alternating instances: the pair is locked on both."""
    name = f"nobody-{secrets.token_hex(4)}"
    answers = []
    for attempt in range(limit + 2):
        base = (a, b)[attempt % 2]
        answers.append(_log_in(requests.Session(), base, name, WRONG).status_code)
    held = all(code == 200 for code in answers[: limit - 1]) and all(
        code == 429 for code in answers[limit:])  # fmt: skip
    claim = (f"a lockout counts failures through both instances: {limit} failures "
             "alternating A and B lock the name on both")  # fmt: skip
    return claim, held, f"answers in turn (A, B, A...): {answers}"


def slowdown_across(a: str, b: str, limit: int):
    """`limit` failures for one name from as many addresses (through both instances): no
    address is locked, but the name now gets one attempt per delay, whoever makes it; of
    two attempts at the same moment, one through each instance, one is refused (the count
    and the turn are in the shared cache)."""
    name = f"nobody-{secrets.token_hex(4)}"
    answers = []
    for attempt in range(limit):
        base = (a, b)[attempt % 2]
        address = f"203.0.113.{10 + attempt}"  # a documentation range: no such client
        answers.append(_log_in(requests.Session(), base, name, WRONG, address).status_code)
    barrier, together = threading.Barrier(2), [None, None]

    def attempt_at_once(i, base):
        session = requests.Session()
        fields = _login_page(session, base)
        fields.update(username=name, password=WRONG)
        barrier.wait()
        together[i] = session.post(f"{base}/auth/login/", data=fields, allow_redirects=False,
                                   headers={"X-Forwarded-For": f"203.0.113.{90 + i}"},
                                   timeout=60).status_code  # fmt: skip

    threads = [threading.Thread(target=attempt_at_once, args=(i, base))
               for i, base in enumerate((a, b))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    held = all(code == 200 for code in answers) and sorted(together) == [200, 429]
    claim = (f"the slow-down per user name counts through both instances (shared cache): "
             f"after failures from {limit} addresses, of two attempts at once (A and B) one "
             "is refused")  # fmt: skip
    return claim, held, f"answers in turn (A, B, A...): {answers}; at once: {together}"


def _post_at_once(session, url: str, fields: dict, note: str, barrier, answers, i) -> None:
    fields.update(status="in-progress", note=note)
    fields.pop("corrects", None)
    barrier.wait()
    answer = session.post(url, data=fields, allow_redirects=False, timeout=60)
    if answer.status_code == 302:
        answers[i] = "recorded"
    else:
        answers[i] = "stale" if STALE_TEXT in answer.text else f"HTTP {answer.status_code}"


def lock_across(a: str, b: str, account: dict, line: int, rounds: int = 3):
    """Two updates of one line with the same version, sent at the same moment through A
    and B: one is recorded, the other refused as stale; never both."""
    sessions = []
    for base in (a, b):
        session = requests.Session()
        _log_in(session, base, account["username"], account["password"])
        sessions.append((session, f"{base}/lines/{line}/update/"))
    outcomes = []
    for index in range(rounds):
        forms = [post_form_fields(s.get(url, timeout=60).text) for s, url in sessions]
        barrier, answers = threading.Barrier(2), [None, None]
        threads = [
            threading.Thread(target=_post_at_once, args=(
                session, url, forms[i], f"Lock check {index}.{i}: sent with another at once.",
                barrier, answers, i))
            for i, (session, url) in enumerate(sessions)
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes.append(sorted(answers))
    held = all(o == ["recorded", "stale"] for o in outcomes)
    return ("the line's lock works across instances: of two simultaneous updates with the "
            "same version (one through each), one is recorded, the other refused as stale",
            held, f"{rounds} rounds: {outcomes}")  # fmt: skip


def check_all(a: str, b: str, account: dict, line: int, limit: int) -> list[tuple]:
    return [session_across(a, b, account), lockout_across(a, b, limit),
            slowdown_across(a, b, limit), lock_across(a, b, account, line)]  # fmt: skip
