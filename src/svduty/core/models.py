"""The core app's one table: form posts already answered (`core.submissions`)."""

from __future__ import annotations

from django.db import models


class Submission(models.Model):
    """A form post that succeeded, by its fingerprint (who sent it, from which
    rendered form, to where, with what), and where its answer sent the user. A second
    post with the same fingerprint is sent there too instead of being done again."""

    fingerprint = models.CharField(max_length=64, unique=True)
    location = models.CharField(max_length=2000)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} → {self.location}"
