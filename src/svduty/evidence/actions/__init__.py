"""Writes of the evidence app (architecture D6): each checks its rule and records its
audit event in the same transaction."""

from .assessment import add_evidence_link, save_self_assessment
from .figures import refresh_figures

__all__ = ["add_evidence_link", "refresh_figures", "save_self_assessment"]
