"""Home pages as to-do lists (issue 16, point 2).

Each app says what needs a person's attention now by registering a panel function
here; core renders the panels on the home page and never imports the apps (they
register upward, from their ``AppConfig.ready``). A panel function gets the signed-in
user and returns a `Panel` (or None when it has nothing for them): a heading and a few
`ToDo` items, each a count with a link and the rule that makes it due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Urgency:
    """How a to-do is tagged (GOV.UK tag colours)."""

    OVERDUE = "red"
    DUE = "yellow"
    INFO = "blue"
    DONE = "green"


TAG_TEXT = {
    Urgency.OVERDUE: "Overdue",
    Urgency.DUE: "To do",
    Urgency.INFO: "For information",
    Urgency.DONE: "Done",
}


@dataclass(frozen=True)
class ToDo:
    label: str
    url: str
    count: int | None = None
    urgency: str = Urgency.DUE
    #: The rule behind the item ("a decision is due 1 working day after receipt").
    hint: str = ""

    @property
    def tag(self) -> str:
        return TAG_TEXT[self.urgency]


@dataclass(frozen=True)
class Panel:
    title: str
    items: list[ToDo] = field(default_factory=list)
    #: What to say when nothing needs doing ("No referrals are waiting").
    empty: str = ""
    link: tuple[str, str] | None = None

    @property
    def outstanding(self) -> int:
        return sum(1 for item in self.items if item.urgency != Urgency.DONE)


PanelFunction = Callable[[Any], "Panel | None"]
_PANELS: list[tuple[int, str, PanelFunction]] = []


def register(order: int = 100) -> Callable[[PanelFunction], PanelFunction]:
    """Register a panel function; lower ``order`` comes first. Registering the same
    function twice (a module imported again) keeps one."""

    def decorator(function: PanelFunction) -> PanelFunction:
        name = f"{function.__module__}.{function.__qualname__}"
        _PANELS[:] = [entry for entry in _PANELS if entry[1] != name]
        _PANELS.append((order, name, function))
        _PANELS.sort(key=lambda entry: (entry[0], entry[1]))
        return function

    return decorator


def panels_for(user: Any) -> list[Panel]:
    panels = []
    for _order, _name, function in _PANELS:
        panel = function(user)
        if panel is not None:
            panels.append(panel)
    return panels
