"""Events of the partnership app that apps above it react to (they may not be
imported from here: layers, lowest first)."""

from django.dispatch import Signal

#: Sent inside the transaction that agrees a definition, with `partnership` and
#: `definition`: strategy sign-offs bound to the earlier definition stop standing.
definition_agreed = Signal()
