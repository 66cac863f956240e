"""The password hasher: Argon2id with the OWASP Password Storage Cheat Sheet's
parameters (m = 19 MiB, t = 2, p = 1).

Django's default Argon2 parameters (m = 100 MiB, t = 2, p = 8) took 230 to 300 ms per
sign-in on a two-core server with other work going on, most of a sign-in that took
1 to 2 seconds (issue 16, point 8). The OWASP parameters are one of its equal-strength
Argon2id configurations and take about 25 ms there. Existing hashes still verify (the
algorithm name is the same) and are rehashed with these parameters at the next
sign-in, as Django does whenever a hasher's parameters change.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
