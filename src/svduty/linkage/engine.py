"""The linkage model: Splink (Fellegi–Sunter) on DuckDB in-process, or on Spark.

No Django here: the run (:mod:`svduty.linkage.runs`), the benchmark and the Spark
test hand in a pandas DataFrame of records and get back the trained model and the
scored pairs with their explanation. Nothing is downloaded at run time.

* :func:`prepare` adds the standardised columns comparisons and blocking use:
  names in plain lower-case letters, the root of a name (its short forms and
  romanisations share one), a sound-alike key, the parts of a double-barrelled
  surname, date of birth as text with day and month swapped, postcode sector and
  district, and whether each identifier passed its check digit.
* :func:`build_settings` declares the comparisons (each level's label is the one
  the explanation shows) and the blocking rules that keep the candidate pairs
  tractable: same identifier, or same date of birth and a name key, or the same
  name keys in the same year of birth.
* :func:`train` estimates the model without labels: the prior from deterministic
  rules, u by random sampling, m by expectation maximisation on two blockings.
* :func:`score` predicts pairs above a probability and explains each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from svduty.cases.rules import normalise_name, soundex
from svduty.linkage.names import other_root, root, slip_root

logger = logging.getLogger(__name__)

#: Bumped whenever the comparisons change (stored with every run's model).
MODEL_VERSION = "2026-12-3"

INPUT_COLUMNS = (
    "unique_id",
    "forenames",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "nhs_number",
    "nhs_number_valid",
    "upn",
    "upn_valid",
    "pnc_id",
    "pnc_id_valid",
)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _first_token(name: str) -> str:
    parts = re.split(r"[\s]+", name.strip())
    return parts[0] if parts else ""


def _surname_parts(surname: str) -> list[str]:
    return sorted({normalise_name(p) for p in re.split(r"[-\s]+", surname) if p})


def prepare(records: pd.DataFrame) -> pd.DataFrame:
    """The model's input: ``INPUT_COLUMNS`` plus the standardised columns."""
    out = pd.DataFrame({"unique_id": records["unique_id"].astype(str)})
    agency = records["agency_code"].map(_text) if "agency_code" in records else None
    out["agency"] = agency.where(agency != "", None) if agency is not None else None
    if "source_dataset" in records:
        out["source_dataset"] = records["source_dataset"]
    forenames = records["forenames"].map(_text).map(_first_token)
    surnames = records["surname"].map(_text)
    cache: dict[str, tuple[str, str, str, str, str]] = {}

    def keys(name: str) -> tuple[str, str, str, str, str]:
        found = cache.get(name)
        if found is None:
            plain = normalise_name(name)
            found = cache[name] = (
                plain,
                root(name),
                soundex(name),
                slip_root(name),
                other_root(name),
            )
        return found

    fore = [keys(n) for n in forenames]
    sur = [keys(n) for n in surnames]
    out["forename"] = [k[0] or None for k in fore]
    out["forename_root"] = [k[1] or None for k in fore]
    out["forename_key"] = [k[2] or None for k in fore]
    out["forename_slip"] = [k[3] or None for k in fore]
    out["forename_other_root"] = [k[4] or None for k in fore]
    out["surname"] = [k[0] or None for k in sur]
    out["surname_key"] = [k[2] or None for k in sur]
    out["surname_root"] = [k[1] or None for k in sur]
    parts_cache: dict[str, list[str] | None] = {}
    out["surname_parts"] = [
        parts_cache.setdefault(s, _surname_parts(s) or None) for s in surnames
    ]
    out["name_keys"] = [
        "|".join(sorted((f[2], s[2]))) if f[2] and s[2] else None
        for f, s in zip(fore, sur, strict=True)
    ]
    out["name_roots"] = [
        "|".join(sorted((f[3], s[1]))) if f[3] and s[1] else None
        for f, s in zip(fore, sur, strict=True)
    ]
    dob = records["date_of_birth"].map(_date_text)
    out["dob"] = dob.where(dob != "", None)
    out["birth_year"] = [int(d[:4]) if d else None for d in dob]
    out["dob_md"] = [d[5:] if d else None for d in dob]
    out["dob_days"] = [_days(d) for d in dob]
    out["dob_swapped"] = [
        f"{d[:4]}-{d[8:10]}-{d[5:7]}" if d and int(d[8:10]) <= 12 else None for d in dob
    ]
    sex = records["sex"].map(_text).str.upper().str[:1]
    out["sex"] = sex.where(sex.isin(["F", "M"]), None)
    postcode = records["postcode"].map(_text).str.upper()
    out["postcode"] = postcode.where(postcode != "", None)
    out["postcode_sector"] = [p[:-2] if p else None for p in postcode]
    out["postcode_district"] = [p.split(" ")[0] if p else None for p in postcode]
    for column in ("nhs_number", "upn", "pnc_id"):
        values = records[column].map(_text)
        out[column] = values.where(values != "", None)
        valid = records[f"{column}_valid"]
        out[f"{column}_valid"] = [
            bool(v) if present else None
            for v, present in zip(valid, out[column].notna(), strict=True)
        ]
    return out


EPOCH = dt.date(1900, 1, 1)


def _days(text: str) -> int | None:
    """Days from 1 January 1900 (dates a few days apart compare as near)."""
    try:
        return (dt.date.fromisoformat(text) - EPOCH).days if text else None
    except ValueError:
        return None


def _date_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    return text[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", text) else ""


# --- The comparisons -------------------------------------------------------------


DESCRIPTIONS = {
    "forename": "forename",
    "surname": "surname",
    "dob": "date of birth",
    "postcode": "postcode",
    "nhs_number": "NHS number",
    "upn": "unique pupil number",
    "pnc_id": "PNC ID",
    "sex": "sex",
    "agency": "agency",
}


def _identifier(column: str, label: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(
                label_for_charts=f"same {label}", m_probability=0.95, u_probability=1e-7
            ),
            cll.And(
                cll.DamerauLevenshteinLevel(column, 1),
                cll.CustomLevel(
                    f"NOT ({column}_valid_l AND {column}_valid_r)",
                ),
            ).configure(
                label_for_charts=f"{label} differs by one character and fails its "
                "check digit (a typing slip)",
                m_probability=0.03,
                u_probability=1e-6,
            ),
            cll.ElseLevel().configure(
                label_for_charts=f"different {label}",
                m_probability=0.02,
                u_probability=1.0,
            ),
        ],
    )


#: Names swapped between the forename and surname fields, allowing a short form,
#: another spelling or a sound-alike on either side ("Smith Ollie" for "Oliver
#: Smith"). Plain SQL, so it runs on DuckDB and on Spark alike.
SWAPPED_NAMES = (
    "(forename_l = surname_r OR forename_root_l = surname_root_r "
    "OR forename_key_l = surname_key_r) AND "
    "(surname_l = forename_r OR surname_root_l = forename_root_r "
    "OR surname_key_l = forename_key_r) AND NOT "
    "(forename_l = forename_r AND surname_l = surname_r)"
)
#: The forenames share a root: short forms and spellings of one name, either
#: meaning of a short form of two names ("Sam": Samantha or Samuel).
SAME_ROOT = (
    "(forename_root_l = forename_root_r "
    "OR forename_other_root_l = forename_root_r "
    "OR forename_root_l = forename_other_root_r)"
)
#: The same, reading a mistyped name as the known name one slip from it
#: (``names.slip_root``: "Smuel" and "Sam").
SAME_SLIP_ROOT = (
    "(forename_slip_l = forename_slip_r "
    "OR forename_other_root_l = forename_slip_r "
    "OR forename_slip_l = forename_other_root_r)"
)
#: One forename is the start of the other, at least three letters ("Chris" and
#: "Christopher", "Dan" and "Danyal").
SHORTENED = (
    "((length(forename_l) >= 3 AND length(forename_l) < length(forename_r) "
    "AND substr(forename_r, 1, length(forename_l)) = forename_l) OR "
    "(length(forename_r) >= 3 AND length(forename_r) < length(forename_l) "
    "AND substr(forename_l, 1, length(forename_r)) = forename_r))"
)

#: Each comparison's levels, best first, by a short name: tests and the twin
#: rule find a level's gamma value by its name, so inserting a level changes
#: nothing else.
LEVELS: dict[str, tuple[str, ...]] = {
    "forename": (
        "same",
        "root",
        "swapped",
        "close",
        "root_close",
        "shortened",
        "one_letter",
        "sounds",
        "different",
    ),
    "surname": (
        "same",
        "swapped",
        "root",
        "part",
        "close",
        "sounds",
        "different",
    ),
    "dob": ("same", "swapped", "year", "digit", "days", "different"),
    "postcode": ("same", "sector", "district", "different"),
    "nhs_number": ("same", "slip", "different"),
    "upn": ("same", "slip", "different"),
    "pnc_id": ("same", "slip", "different"),
    "agency": ("same", "different"),
    "sex": ("same", "different"),
}


def gamma(comparison: str, level: str) -> int:
    """Splink's gamma value of a named level (non-null levels count down to 0)."""
    levels = LEVELS[comparison]
    return len(levels) - 1 - levels.index(level)


def comparisons() -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return [
        cl.CustomComparison(
            output_column_name="forename",
            comparison_description="forename",
            comparison_levels=[
                cll.NullLevel("forename"),
                cll.ExactMatchLevel(
                    "forename", term_frequency_adjustments=True
                ).configure(label_for_charts="same forename"),
                cll.CustomLevel(
                    SAME_ROOT,
                    label_for_charts="forename is a short form or another spelling "
                    "of the other",
                ),
                cll.CustomLevel(
                    SWAPPED_NAMES, label_for_charts="forename and surname swapped"
                ),
                cll.JaroWinklerLevel("forename", 0.92).configure(
                    label_for_charts="forename spelt almost the same"
                ),
                cll.Or(
                    cll.CustomLevel(SAME_SLIP_ROOT),
                    cll.JaroWinklerLevel("forename_root", 0.92),
                ).configure(
                    label_for_charts="forename is a short form or another spelling "
                    "of the other, with a typing slip"
                ),
                cll.CustomLevel(
                    SHORTENED,
                    label_for_charts="one forename is the start of the other",
                ),
                cll.DamerauLevenshteinLevel("forename", 1).configure(
                    label_for_charts="forename differs by one letter"
                ),
                cll.ExactMatchLevel("forename_key").configure(
                    label_for_charts="forename sounds the same"
                ),
                cll.ElseLevel().configure(label_for_charts="different forename"),
            ],
        ),
        cl.CustomComparison(
            output_column_name="surname",
            comparison_description="surname",
            comparison_levels=[
                cll.NullLevel("surname"),
                cll.ExactMatchLevel(
                    "surname", term_frequency_adjustments=True
                ).configure(label_for_charts="same surname"),
                cll.CustomLevel(
                    SWAPPED_NAMES, label_for_charts="surname and forename swapped"
                ),
                cll.ExactMatchLevel("surname_root").configure(
                    label_for_charts="surname is another spelling of the other"
                ),
                cll.ArrayIntersectLevel("surname_parts", 1).configure(
                    label_for_charts="one part of a double-barrelled surname is the "
                    "same"
                ),
                cll.JaroWinklerLevel("surname", 0.92).configure(
                    label_for_charts="surname spelt almost the same"
                ),
                cll.ExactMatchLevel("surname_key").configure(
                    label_for_charts="surname sounds the same"
                ),
                cll.ElseLevel().configure(label_for_charts="different surname"),
            ],
        ),
        cl.CustomComparison(
            output_column_name="dob",
            comparison_description="date of birth",
            comparison_levels=[
                cll.NullLevel("dob"),
                cll.ExactMatchLevel("dob").configure(
                    label_for_charts="same date of birth"
                ),
                cll.Or(
                    cll.CustomLevel("dob_l = dob_swapped_r"),
                    cll.CustomLevel("dob_swapped_l = dob_r"),
                ).configure(
                    label_for_charts="date of birth with day and month swapped"
                ),
                cll.CustomLevel(
                    "dob_md_l = dob_md_r AND abs(birth_year_l - birth_year_r) = 1",
                    label_for_charts="date of birth a year apart",
                ),
                cll.DamerauLevenshteinLevel("dob", 1).configure(
                    label_for_charts="date of birth differs by one digit or two "
                    "digits swapped"
                ),
                cll.CustomLevel(
                    "abs(dob_days_l - dob_days_r) <= 3",
                    label_for_charts="dates of birth within three days",
                ),
                cll.ElseLevel().configure(label_for_charts="different date of birth"),
            ],
        ),
        cl.CustomComparison(
            output_column_name="postcode",
            comparison_description="postcode",
            comparison_levels=[
                cll.NullLevel("postcode"),
                cll.ExactMatchLevel(
                    "postcode", term_frequency_adjustments=True
                ).configure(label_for_charts="same postcode"),
                cll.ExactMatchLevel("postcode_sector").configure(
                    label_for_charts="same postcode sector"
                ),
                cll.ExactMatchLevel("postcode_district").configure(
                    label_for_charts="same postcode district"
                ),
                cll.ElseLevel().configure(label_for_charts="different postcode area"),
            ],
        ),
        _identifier("nhs_number", "NHS number"),
        _identifier("upn", "unique pupil number"),
        _identifier("pnc_id", "PNC ID"),
        cl.CustomComparison(
            output_column_name="agency",
            comparison_description="agency",
            comparison_levels=[
                cll.NullLevel("agency"),
                cll.ExactMatchLevel("agency").configure(
                    label_for_charts="both records from the same agency, which "
                    "keeps one record for each person",
                    m_probability=0.01,
                ),
                cll.ElseLevel().configure(
                    label_for_charts="records from two agencies", m_probability=0.99
                ),
            ],
        ),
        cl.CustomComparison(
            output_column_name="sex",
            comparison_description="sex",
            comparison_levels=[
                cll.NullLevel("sex"),
                cll.ExactMatchLevel("sex").configure(label_for_charts="same sex"),
                cll.ElseLevel().configure(label_for_charts="different sex"),
            ],
        ),
    ]


def blocking_rules() -> list[Any]:
    """Which pairs are compared at all. Each rule is an equality join, so the
    candidate pairs grow with the records sharing a key, not with the square of
    the records; together they catch each kind of error the comparisons allow
    for (a record that differs in everything but one field is not a candidate)."""
    from splink import block_on

    return [
        block_on("nhs_number"),
        block_on("upn"),
        block_on("pnc_id"),
        block_on("dob", "surname_key"),
        block_on("dob", "forename_key"),
        block_on("dob", "name_keys"),  # names swapped
        block_on("dob", "forename_slip"),  # a short form, maybe mistyped
        block_on("dob", "name_roots"),  # swapped, and a short form
        block_on("dob", "postcode"),  # names swapped and mistyped
        block_on("forename_key", "surname_key", "birth_year"),  # day or month wrong
        block_on("forename_slip", "surname_key", "birth_year"),  # and a short form
        block_on("name_keys", "dob_md"),  # year wrong, names maybe swapped
        block_on("forename_slip", "surname_key", "dob_md"),  # and a short form
        block_on("postcode", "forename_slip"),  # date of birth missing or wrong
        block_on("postcode", "surname_key"),
    ]


def build_settings(link_type: str = "dedupe_only") -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        additional_columns_to_retain=[],
    )


#: DuckDB's own memory ceiling: past it, joins and sorts spill to disk in the
#: temporary directory instead of growing (the 1,000,000-record benchmark stays
#: under 4 GB for the whole process with this).
MEMORY_LIMIT = "2GB"


def duckdb_api(
    threads: int | None = None,
    *,
    memory_limit: str = MEMORY_LIMIT,
    temp_directory: str | None = None,
    keep_order: bool = True,
) -> Any:
    """An in-memory DuckDB for Splink, bounded by ``memory_limit`` (spilling to
    ``temp_directory``, the system's temporary directory by default).
    ``keep_order=False`` lets DuckDB drop insertion order, which saves memory on
    large jobs whose results are sorted afterwards anyway."""
    import tempfile

    import duckdb
    from splink import DuckDBAPI

    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", memory_limit):
        raise ValueError(f"Not a memory size: {memory_limit!r} (for example 2GB)")
    connection = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": memory_limit,
            "temp_directory": temp_directory
            or str(Path(tempfile.gettempdir()) / "svduty-duckdb"),
            "preserve_insertion_order": keep_order,
            **({"threads": int(threads)} if threads else {}),
        },
    )
    return DuckDBAPI(connection)


def _arrow_type(column: str) -> Any:
    import pyarrow as pa

    if column in ("birth_year", "dob_days"):
        return pa.int64()
    if column.endswith("_valid"):
        return pa.bool_()
    if column == "surname_parts":
        return pa.list_(pa.string())
    return pa.string()


def prepare_to_parquet(batches: Any, path: Path) -> int:
    """:func:`prepare` a stream of record batches (pandas DataFrames) into one
    Parquet file, one batch in memory at a time; returns the number of records.
    DuckDB then reads the file itself (``connection.read_parquet``), so a large
    index is never held in Python and in DuckDB at once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    count = 0
    try:
        for batch in batches:
            prepared = prepare(batch)
            if writer is None:
                schema = pa.schema([(c, _arrow_type(c)) for c in prepared.columns])
                writer = pq.ParquetWriter(path, schema)
            writer.write_table(
                pa.Table.from_pandas(prepared, schema=schema, preserve_index=False)
            )
            count += len(prepared)
    finally:
        if writer is not None:
            writer.close()
    return count


@dataclass
class Result:
    model: dict[str, Any]
    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_weight, match_probability
    explanations: list[list[dict[str, Any]]]


def make_linker(
    db_api: Any,
    tables: Sequence[pd.DataFrame | Any],
    *,
    link_type: str = "dedupe_only",
    model: dict[str, Any] | None = None,
) -> Any:
    from splink import Linker

    registered = [db_api.register(t) for t in tables]
    settings = model if model is not None else build_settings(link_type)
    return Linker(
        registered if len(registered) > 1 else registered[0],
        settings,
        log_level=logging.WARNING,
    )


def train(linker: Any, *, u_pairs: float = 2e6, seed: int = 13) -> None:
    """Estimate the prior, u and m without labels."""
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("nhs_number"),
            block_on("forename", "surname", "dob"),
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("forename_key", "surname_key"),
        estimate_without_term_frequencies=True,
    )


def data_digest(prepared: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    for value in sorted(prepared["unique_id"]):
        digest.update(value.encode())
    return digest.hexdigest()


def strength(weight: float) -> str:
    size = abs(weight)
    if size < 1:
        return "little evidence either way"
    word = "weak" if size < 3 else "moderate" if size < 6 else "strong"
    return f"{word} evidence {'for' if weight > 0 else 'against'}"


def _levels(comparison: dict[str, Any]) -> dict[int, str]:
    """Gamma value to label: non-null levels count down from the top to 0."""
    levels = [
        level
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]
    top = len(levels) - 1
    return {
        top - i: level.get("label_for_charts", "") for i, level in enumerate(levels)
    }


def explain(model: dict[str, Any], row: dict[str, Any]) -> list[dict[str, Any]]:
    """The match weight of one scored pair broken down by comparison, in words.

    The first item is the prior (how likely any two records are the same person);
    the weights add up to the pair's match weight.
    """
    prior = model["probability_two_random_records_match"]
    items: list[dict[str, Any]] = [
        {
            "comparison": "starting point",
            "level": "how likely two records picked at random are the same person",
            "weight": round(math.log2(prior / (1 - prior)), 2),
        }
    ]
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        description = DESCRIPTIONS.get(name, name)
        gamma = int(row[f"gamma_{name}"])
        if gamma == -1:
            items.append(
                {
                    "comparison": description,
                    "level": f"{description} missing from one or both records",
                    "weight": 0.0,
                }
            )
            continue
        weight = _number(row.get(f"mw_{name}")) + _number(row.get(f"mw_tf_adj_{name}"))
        items.append(
            {
                "comparison": description,
                "level": _levels(comparison).get(gamma, f"level {gamma}"),
                "weight": round(weight, 2),
            }
        )
    for item in items:
        item["words"] = f"{item['level'].capitalize()}: {strength(item['weight'])}"
    twin = _twin_warning(row)
    if twin:
        items.append(
            {"comparison": "warning", "level": twin, "weight": 0.0, "words": twin}
        )
    return items


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    number = float(value)
    return 0.0 if math.isnan(number) else number


def _twin_warning(row: dict[str, Any]) -> str:
    """Different forename, same date of birth and address: maybe twins."""
    if possible_twin(row):
        return (
            "Different forename, same date of birth and surname: possibly twins or "
            "siblings, so a person must decide"
        )
    return ""


def score(
    linker: Any, *, threshold: float
) -> tuple[pd.DataFrame, dict[str, Any], list[list[dict[str, Any]]]]:
    """Scored pairs at or above ``threshold`` with their explanations."""
    model = linker.misc.save_model_to_json()
    predictions = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    frame = predictions.as_pandas_dataframe()
    rows = frame.to_dict("records")
    explanations = [explain(model, row) for row in rows]
    keep = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    pairs = frame[keep].copy()
    pairs["possible_twin"] = [possible_twin(row) for row in rows]
    return pairs, model, explanations


def possible_twin(row: dict[str, Any]) -> bool:
    """The pattern twins and siblings share, which the model's independence
    assumption over-counts: a different forename (not a short form, spelling,
    slip or swap), with the same date of birth and a surname that is the same or
    close to it, and no identifier the same.
    Such a pair is never linked without a person deciding."""
    identifiers_agree = any(
        row.get(f"gamma_{name}") == gamma(name, "same")
        for name in ("nhs_number", "upn", "pnc_id")
    )
    return (
        row.get("gamma_forename") == gamma("forename", "different")
        and row.get("gamma_dob") in (gamma("dob", "same"), gamma("dob", "swapped"))
        and (row.get("gamma_surname") or 0) > gamma("surname", "different")
        and not identifiers_agree
    )


#: Fewer records than this cannot estimate m and u reliably: the starter model
#: (estimated on a synthetic population, shipped with svduty) is used instead.
MIN_TRAINING_RECORDS = 1000
STARTER_MODEL = Path(__file__).with_name("starter_model.json")


def starter_model(records: int, dialect: str = "duckdb") -> dict[str, Any]:
    """The shipped model, adjusted to a small data set: no term-frequency
    adjustment (frequencies from a handful of records mean nothing), and the prior
    for ``records`` records (each person held by about two agencies).

    The comparisons are built afresh in the backend's SQL dialect and take the
    shipped m and u probabilities level by level, so the same model runs on
    DuckDB and on Spark."""
    shipped = json.loads(STARTER_MODEL.read_text(encoding="utf-8"))
    model = build_settings().create_settings_dict(dialect)
    for comparison, trained in zip(
        model["comparisons"], shipped["comparisons"], strict=True
    ):
        for level, values in zip(
            comparison["comparison_levels"],
            trained["comparison_levels"],
            strict=True,
        ):
            for key in ("m_probability", "u_probability"):
                if key in values:
                    level[key] = values[key]
            if level.get("tf_adjustment_column"):
                level["tf_adjustment_weight"] = 0.0
    model["probability_two_random_records_match"] = min(0.1, 1.8 / max(records, 2))
    return model


def run(
    records: pd.DataFrame,
    *,
    threshold: float,
    db_api: Any | None = None,
    u_pairs: float = 2e6,
) -> Result:
    """Train on ``records`` (deduplicated together) and score their pairs."""
    prepared = prepare(records)
    trained = len(prepared) >= MIN_TRAINING_RECORDS
    db_api = db_api or duckdb_api()
    model = (
        None
        if trained
        else starter_model(len(prepared), db_api.sql_dialect.sql_dialect_str)
    )
    linker = make_linker(db_api, [prepared], model=model)
    if trained:
        train(linker, u_pairs=u_pairs)
    pairs, model, explanations = score(linker, threshold=threshold)
    model["svduty"] = {
        "version": MODEL_VERSION,
        "estimated_on": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "records": len(prepared),
        "data_sha256": data_digest(prepared),
        "estimated_from": "this data"
        if trained
        else "the starter model (too few records to estimate from this data)",
    }
    return Result(model, pairs, explanations)
