"""Sections that apps above cases add to the child's page (places, services,
meetings…) without cases importing them (layers: cases never imports an app above
it). An app registers a panel in its AppConfig.ready(); the child's page shows a
link to the panel's own URL, which htmx loads into the page. So the page's own
queries do not grow with the number of apps, and each panel checks its own policy
and writes its own audit event."""

from __future__ import annotations

from dataclasses import dataclass

from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission


@dataclass(frozen=True)
class RecordPanel:
    title: str
    # A URL name taking the person's pk (`pk`); it answers with an HTML fragment
    # for htmx requests and a full page otherwise.
    url_name: str
    permission: Permission | None = None


_PANELS: list[RecordPanel] = []


def register_record_panel(panel: RecordPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels_for(user) -> list[RecordPanel]:
    return [
        panel
        for panel in _PANELS
        if panel.permission is None or has_permission(user, panel.permission)
    ]
