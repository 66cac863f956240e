"""What the sharing app tells the apps above it.

Sharing sits below analysis (docs/architecture.md, "Layers"), so it never imports its
consumers: it sends a signal, and they subscribe in their `AppConfig.ready`.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after the commit of a transaction that changed a partnership's published data
#: (a successful import, or the demo's batch of imports), with the keyword argument
#: `partnership`. Sent with `send_robust`: a failing receiver is logged and never
#: undoes the import. The analysis app rebuilds the analytic snapshot on it.
import_succeeded = Signal()
