"""Resident population by ethnic group: the configurable denominator for search
rates against the population (issue 10 point 6)."""

from __future__ import annotations

from django.db import models

from svduty.core.guard import GuardedModel, GuardedQuerySet

from .choices import EthnicGroup, ForceArea


class ResidentPopulation(GuardedModel):
    force_area = models.CharField(max_length=30, choices=ForceArea.choices)
    ethnic_group = models.CharField(max_length=12, choices=EthnicGroup.choices)
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=300)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["force_area", "ethnic_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["force_area", "ethnic_group"], name="svro_one_population_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_force_area_display()}: {self.get_ethnic_group_display()}"
