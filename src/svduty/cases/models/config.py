"""Configuration a partnership can change without a release."""

from __future__ import annotations

from django.db import models

from svduty.core.guard import GuardedModel, GuardedQuerySet


class LanguageRule(GuardedModel):
    phrase = models.CharField(max_length=100, unique=True)
    alternative = models.CharField(max_length=300)
    explanation = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase
