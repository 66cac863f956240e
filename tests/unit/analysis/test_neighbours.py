import numpy as np
import pytest
from shapely.geometry import box

from svduty.analysis.stats.neighbours import (
    neighbour_lists,
    neighbours_to_sparse,
    to_british_national_grid,
)


def _square_km(x0, y0, size=1000.0):
    """A square given in BNG metres, converted back to WGS84 for the input."""
    from pyproj import Transformer

    back = Transformer.from_crs(27700, 4326, always_xy=True)
    corners = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size)]
    from shapely.geometry import Polygon

    return Polygon([back.transform(x, y) for x, y in corners])


def test_projection_matches_known_point():
    # A Hartlepool point; Helmert (EPSG:1314) result to the metre.
    (projected,) = to_british_national_grid([box(-1.24, 54.71, -1.24, 54.71)])
    x, y = projected.bounds[:2]
    assert (round(x), round(y)) == (449065, 535263)


def test_buffer_joins_areas_closer_than_40_metres_only():
    codes = ["A", "B", "C"]
    geometries = {
        "A": _square_km(450000, 500000),
        "B": _square_km(451030, 500000),  # 30 m gap: buffers of 20 m meet
        "C": _square_km(452080, 500000),  # 50 m from B: no meeting
    }
    result = neighbour_lists(codes, geometries)
    assert result[0] == [1]
    assert 0 in result[1]
    # C has no buffered neighbour, so it takes the nearest centroid (B) both ways.
    assert result[2] == [1]
    assert result[1] == [0, 2]


def test_missing_geometry_is_an_error():
    with pytest.raises(ValueError, match="no geometry"):
        neighbour_lists(["A", "B"], {"A": _square_km(450000, 500000)})


def test_sparse_matrix_is_binary_symmetric_with_zero_diagonal():
    matrix = neighbours_to_sparse([[1, 1], [0], []]).toarray()
    assert matrix.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_all_cleveland_lsoas_have_a_neighbour_and_links_are_symmetric(
    cleveland_lsoas,
):
    codes = sorted(cleveland_lsoas)
    assert len(codes) == 352
    neighbours = neighbour_lists(codes, cleveland_lsoas)
    assert all(neighbours[i] for i in range(len(codes)))
    assert all(i not in js for i, js in enumerate(neighbours))
    matrix = neighbours_to_sparse(neighbours)
    assert (matrix != matrix.T).nnz == 0
    # Average LSOA has about 5-6 contiguous neighbours.
    mean_degree = np.mean([len(js) for js in neighbours])
    assert 4 < mean_degree < 9


def test_known_cleveland_adjacency(cleveland_lsoas):
    codes = sorted(cleveland_lsoas)
    neighbours = neighbour_lists(codes, cleveland_lsoas)
    index = {code: i for i, code in enumerate(codes)}
    # Hartlepool 009A and 008A share a boundary in the ONS 2011 geography.
    a, b = index["E01011949"], index["E01011950"]
    assert b in neighbours[a]
    assert a in neighbours[b]
    # Hartlepool and Stockton-on-Tees LSOAs far apart are not neighbours.
    far = [c for c in codes if c.startswith("E0101") and c != "E01011949"][-1]
    assert index[far] not in neighbours[a]
