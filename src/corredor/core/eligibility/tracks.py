"""How an application to a pathway moves, step by step, after a referral.

Two tracks. The standard one: referred -> submitted -> interview scheduled -> decision (approved or
denied) -> travel -> arrived, or withdrawn at any point before arrival. The Protection Transfer
Arrangement's: a UNHCR partner refers -> selected (or not selected) -> interview (in person, on a circuit
ride, or by video) -> transfer to Costa Rica -> arrived, or withdrawn. Labels are es/en; the app shows
them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

Text = dict[str, str]


@dataclass(frozen=True)
class Track:
    id: str
    steps: dict[str, Text]  # step -> label, in order
    next_steps: dict[str, frozenset[str]]
    terminal: frozenset[str]
    interview_step: str | None = None  # the step that records how the interview was held

    def allowed(self, current: str) -> frozenset[str]:
        return self.next_steps.get(current, frozenset())

    def label(self, step: str, language: str) -> str:
        text = self.steps.get(step, {"es": step, "en": step})
        return text["es"] if language.startswith("es") else text["en"]


_WITHDRAWN: Text = {"es": "Retirada", "en": "Withdrawn"}

STANDARD = Track(
    id="standard",
    steps={
        "referred": {"es": "Referida", "en": "Referred"},
        "submitted": {"es": "Presentada", "en": "Submitted"},
        "interview_scheduled": {"es": "Entrevista programada", "en": "Interview scheduled"},
        "approved": {"es": "Decisión: aprobada", "en": "Decision: approved"},
        "denied": {"es": "Decisión: denegada", "en": "Decision: denied"},
        "travel": {"es": "Viaje", "en": "Travel"},
        "arrived": {"es": "Llegada", "en": "Arrived"},
        "withdrawn": _WITHDRAWN,
    },
    next_steps={
        "referred": frozenset({"submitted", "withdrawn"}),
        "submitted": frozenset({"interview_scheduled", "approved", "denied", "withdrawn"}),
        "interview_scheduled": frozenset({"interview_scheduled", "approved", "denied", "withdrawn"}),
        "approved": frozenset({"travel", "arrived", "withdrawn"}),
        "travel": frozenset({"arrived", "withdrawn"}),
    },
    terminal=frozenset({"denied", "arrived", "withdrawn"}),
)

PTA = Track(
    id="pta",
    steps={
        "referred": {"es": "Referida por un socio del ACNUR", "en": "Referred by a UNHCR partner"},
        "selected": {"es": "Seleccionada", "en": "Selected"},
        "not_selected": {"es": "No seleccionada", "en": "Not selected"},
        "interview": {"es": "Entrevista", "en": "Interview"},
        "transfer": {"es": "Traslado a Costa Rica", "en": "Transfer to Costa Rica"},
        "arrived": {"es": "Llegada a Costa Rica", "en": "Arrived in Costa Rica"},
        "withdrawn": _WITHDRAWN,
    },
    next_steps={
        "referred": frozenset({"selected", "not_selected", "withdrawn"}),
        "selected": frozenset({"interview", "withdrawn"}),
        "interview": frozenset({"transfer", "not_selected", "withdrawn"}),
        "transfer": frozenset({"arrived", "withdrawn"}),
    },
    terminal=frozenset({"not_selected", "arrived", "withdrawn"}),
    interview_step="interview",
)

INTERVIEW_MODES: dict[str, Text] = {
    "in_person": {"es": "En persona", "en": "In person"},
    "circuit_ride": {"es": "Misión itinerante", "en": "Circuit ride"},
    "video": {"es": "Por video", "en": "By video"},
}

TRACKS = {t.id: t for t in (STANDARD, PTA)}


def track_for(pathway: str) -> Track:
    """The track of a pathway (by its family id, e.g. 'cr-pta')."""
    return PTA if pathway == "cr-pta" else STANDARD
