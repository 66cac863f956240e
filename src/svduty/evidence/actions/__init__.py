"""Writes of the evidence app (architecture D6): each checks its rule and records its
audit event in the same transaction."""

from .figures import refresh_figures

__all__ = ["refresh_figures"]
