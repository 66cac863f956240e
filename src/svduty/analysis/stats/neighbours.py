"""Which LSOAs count as neighbours, for hotspot statistics.

Definition (agreed for the SNA, so every hotspot map is reproducible): two LSOAs
are neighbours when their polygons, projected from WGS84 to British National Grid
(EPSG:27700) and each buffered by 20 metres, intersect. The buffer makes areas
that touch only across a road centre-line gap, or that the generalised (simplified)
ONS boundaries pull slightly apart, count as neighbours. An area that still has no
neighbour (an island, or an LSOA cut off by an estuary) takes its nearest area by
centroid distance, and that link is added both ways so the weights stay symmetric.

Projection: the transform is pinned to EPSG:1314 "OSGB36 to WGS 84 (6)", a
7-parameter Helmert transformation (about 2 m accuracy), written out as a PROJ
pipeline. Pinning it means the result never depends on whether the OSTN15 grid
happens to be installed, and PROJ never tries to download a grid: network access
is switched off before the transformer is built (nothing may be fetched at run
time). Two metres is immaterial against a 20 m buffer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyproj
import pyproj.network
import scipy.sparse as sp
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

BUFFER_METRES = 20.0

#: EPSG:1314 (inverse) followed by the British National Grid projection.
WGS84_TO_BNG_PIPELINE = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
    "+step +proj=push +v_3 +step +proj=cart +ellps=WGS84 "
    "+step +inv +proj=helmert +x=446.448 +y=-125.157 +z=542.06 +rx=0.15 "
    "+ry=0.247 +rz=0.842 +s=-20.489 +convention=position_vector "
    "+step +inv +proj=cart +ellps=airy +step +proj=pop +v_3 "
    "+step +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 "
    "+y_0=-100000 +ellps=airy"
)


def _transformer() -> pyproj.Transformer:
    pyproj.network.set_network_enabled(False)
    return pyproj.Transformer.from_pipeline(WGS84_TO_BNG_PIPELINE)


def to_british_national_grid(geometries: Sequence[BaseGeometry]) -> np.ndarray:
    """Project WGS84 (longitude, latitude) geometries to British National Grid.

    Returns a numpy array of shapely geometries in metres (EPSG:27700).
    """
    transformer = _transformer()

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(geometries, dtype=object), project)


def neighbour_lists(
    codes: Sequence[str],
    geometries: Mapping[str, BaseGeometry],
    *,
    buffer_metres: float = BUFFER_METRES,
) -> list[list[int]]:
    """Neighbour indices for each area, in the order of ``codes``.

    ``geometries`` maps each area code to its WGS84 polygon (shapely). The result
    has one sorted list per area holding the positions (in ``codes``) of its
    neighbours, never the area itself. Every area gets at least one neighbour
    when there are two or more areas, and the relation is symmetric.
    """
    if len(set(codes)) != len(codes):
        raise ValueError("codes must not repeat")
    missing = [code for code in codes if code not in geometries]
    if missing:
        raise ValueError(f"no geometry for {len(missing)} area(s): {missing[:5]}")
    n = len(codes)
    if n == 0:
        return []
    projected = to_british_national_grid([geometries[code] for code in codes])
    buffered = shapely.buffer(projected, buffer_metres)
    tree = STRtree(buffered)
    left, right = tree.query(buffered, predicate="intersects")
    keep = left != right
    sets: list[set[int]] = [set() for _ in range(n)]
    for i, j in zip(left[keep].tolist(), right[keep].tolist(), strict=True):
        sets[i].add(j)
        sets[j].add(i)

    isolated = [i for i in range(n) if not sets[i]]
    if isolated and n > 1:
        centroids = shapely.centroid(projected)
        centroid_tree = STRtree(centroids)
        for i in isolated:
            # exclusive=True skips the area's own centroid; all_matches=False picks
            # one area deterministically if two are exactly equidistant.
            nearest = centroid_tree.query_nearest(
                centroids[i], exclusive=True, all_matches=False
            )
            j = int(nearest[0])
            sets[i].add(j)
            sets[j].add(i)
    return [sorted(s) for s in sets]


def neighbours_to_sparse(neighbours: Sequence[Sequence[int]]) -> sp.csr_array:
    """Binary n x n adjacency matrix (zero diagonal) from neighbour lists."""
    n = len(neighbours)
    rows = np.repeat(np.arange(n), [len(js) for js in neighbours])
    cols = np.fromiter((j for js in neighbours for j in js), dtype=np.int64)
    if cols.size and (cols.min() < 0 or cols.max() >= n):
        raise ValueError("neighbour index out of range")
    data = np.ones(cols.size, dtype=float)
    matrix = sp.csr_array((data, (rows, cols)), shape=(n, n))
    matrix.sum_duplicates()
    # Repeated neighbours must not weigh twice: weights are binary.
    matrix.data[:] = 1.0
    matrix.setdiag(0)
    matrix.eliminate_zeros()
    return matrix
