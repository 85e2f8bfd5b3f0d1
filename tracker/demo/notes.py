"""The words of the demo's synthetic history (tracker.demo.history): notes per status, in
the report's vocabulary, generic on purpose (no claim about what any named government or
organization did), and evidence links on example.org.

Notes are data, like the catalogue: stored as written, in English, and not translated."""

import datetime

from tracker.models import Status

# What a theme's notes are about; one is picked per line.
TOPICS = {
    "labour": [
        "fair and ethical recruitment",
        "the licensing and monitoring of recruitment agencies",
        "equal treatment and labour rights for migrant workers",
        "decent work for migrant workers",
        "the portability of social security entitlements",
    ],
    "rights": [
        "the protection of migrants in transit and crisis situations",
        "access to basic services for all migrants, whatever their status",
        "alternatives to the detention of migrants",
        "the protection of migrant women and children",
        "assistance to victims of trafficking and smuggling",
    ],
    "diaspora": [
        "diaspora engagement in development",
        "migration indicators and targets in the post-2015 development agenda",
        "the collection of disaggregated migration data",
        "the recognition of diplomas, qualifications and skills",
        "support for diaspora investment and small-scale initiatives",
    ],
    "governance": [
        "the follow-up of the High-level Dialogue",
        "regular consultations with civil society, employers and trade unions",
        "coherence on migration across the United Nations system",
        "an action programme with indicators and benchmarks",
        "cooperation with cities and local authorities",
    ],
}

NOTES = {
    Status.NOT_STARTED: [
        "Accepted at the first follow-up meeting. No action on {topic} has been taken yet.",
        "Acknowledged in the first review round; responsibility for {topic} is still being "
        "assigned.",
        "The recommendation is accepted in principle; work on {topic} has not begun.",
    ],
    Status.PLANNED: [
        "A work plan on {topic} was adopted, with a budget line for the next two years.",
        "Action on {topic} is scheduled in the national action plan; a lead agency has been "
        "designated.",
        "A mandate for {topic} was agreed and a timetable set; consultations with migrants' "
        "organizations are planned.",
    ],
    Status.IN_PROGRESS: [
        "Implementation has begun: a pilot on {topic} is running and a first review is due.",
        "Draft measures on {topic} are under consultation with the actors concerned.",
        "Training and outreach on {topic} are under way; about half of the planned activities "
        "have started.",
        "Progress report received: work on {topic} continues as planned, with some delays.",
    ],
    Status.PARTIALLY_IMPLEMENTED: [
        "Part of what is asked is in place: the first measures on {topic} are in force; "
        "others are pending.",
        "Measures on {topic} cover some regions or groups only; extending them is planned.",
        "The main text on {topic} was adopted; implementing rules and monitoring are still "
        "missing.",
    ],
    Status.IMPLEMENTED: [
        "What is asked has been done: the measures on {topic} are in force and monitored.",
        "Completed. The final report on {topic} was published and the follow-up closed.",
    ],
    Status.WILL_NOT_BE_IMPLEMENTED: [
        "After review, the actor decided not to act on {topic} in this form; the reasons are "
        "set out in the linked decision.",
        "Not retained in the current policy framework; the decision on {topic} was given at "
        "the annual review.",
    ],
    Status.NO_LONGER_RELEVANT: [
        "Overtaken by events: the work on {topic} was taken over by a later intergovernmental "
        "process.",
        "No longer relevant for this actor: the programme on {topic} ended and its functions "
        "moved elsewhere.",
    ],
}

CORRECTION = (
    "Correction of the update effective {date}: it was recorded as implemented by mistake. "
    "The measures on {topic} are still being rolled out."
)

# The kind of document an update of each status links to.
EVIDENCE_KINDS = {
    Status.NOT_STARTED: "meeting-summary",
    Status.PLANNED: "work-plan",
    Status.IN_PROGRESS: "progress-report",
    Status.PARTIALLY_IMPLEMENTED: "review",
    Status.IMPLEMENTED: "final-report",
    Status.WILL_NOT_BE_IMPLEMENTED: "decision",
    Status.NO_LONGER_RELEVANT: "note",
}


def evidence_link(actor_key: str, code: str, on: datetime.date, kind: str) -> str:
    """e.g. https://example.org/demo/governments/r30a/2015-04-progress-report"""
    return f"https://example.org/demo/{actor_key}/{code.lower()}/{on:%Y-%m}-{kind}"
