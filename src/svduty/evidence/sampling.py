"""Stratified case-audit draws (issue 12 point 3): the children eligible are put in
groups (strata: for example by risk level); each group gets a share of the sample
in proportion to its size, but at least a minimum (or every child of a group
smaller than the minimum); then each group's children are drawn at random from one
generator seeded with the sample's seed, so the same seed over the same children
(in the same groups) draws the same sample.

The allocation: with N children eligible in all, N_g in group g, a sample of n
(n < N) and a minimum m, group g gets max(min(m, N_g), λ·N_g) children, with the one
λ (at most 1) that makes these add up to n; then whole numbers by the largest
remainder (ties: the larger group, then the group's name). A sample of N or more
takes every child. The minimums alone must not exceed n."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction


class AllocationError(ValueError):
    """The minimums of the groups add up to more than the sample."""


def allocate(counts: Mapping[str, int], size: int, minimum: int) -> dict[str, int]:
    """How many children to draw from each group (group -> children eligible)."""
    if size < 0 or minimum < 0 or any(c < 0 for c in counts.values()):
        raise ValueError("counts, size and minimum cannot be negative")
    total = sum(counts.values())
    if size >= total:
        return dict(counts)
    floors = {g: min(minimum, c) for g, c in counts.items()}
    if sum(floors.values()) > size:
        raise AllocationError(
            f"A minimum of {minimum} from each of the {len(counts)} groups needs "
            f"{sum(floors.values())} children, more than the sample of {size}"
        )
    # The groups held at their floor: those whose proportional share is below it.
    # Holding one lowers λ for the rest, so repeat until none is added.
    held: set[str] = set()
    while True:
        rest = [g for g in counts if g not in held]
        pool = sum(counts[g] for g in rest)
        lam = Fraction(size - sum(floors[g] for g in held), pool or 1)
        below = {g for g in rest if lam * counts[g] < floors[g]}
        if not below:
            break
        held |= below
    shares = {g: Fraction(floors[g]) if g in held else lam * counts[g] for g in counts}
    out = {g: math.floor(s) for g, s in shares.items()}
    left = size - sum(out.values())
    order = sorted(counts, key=lambda g: (-(shares[g] - out[g]), -counts[g], g))
    for g in order[:left]:
        out[g] += 1
    return out


@dataclass(frozen=True)
class Stratum:
    name: str
    eligible: int
    drawn: int

    def as_dict(self) -> dict[str, object]:
        return {"stratum": self.name, "eligible": self.eligible, "drawn": self.drawn}


def draw_stratified(
    groups: Mapping[str, Sequence[int]], *, seed: int, size: int, minimum: int
) -> tuple[list[int], list[Stratum]]:
    """The sample (ids, group by group in the groups' name order) and the table of
    groups. The same seed and groups (ids in any order) give the same sample."""
    allocation = allocate({g: len(ids) for g, ids in groups.items()}, size, minimum)
    # A reproducible audit sample (anyone can redraw it from the seed), not a secret.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    chosen: list[int] = []
    table: list[Stratum] = []
    for name in sorted(groups):
        ids = sorted(groups[name])
        chosen.extend(rng.sample(ids, allocation[name]))
        table.append(Stratum(name, len(ids), allocation[name]))
    return chosen, table
