"""Estimate the shipped starter model (``linkage/starter_model.json``).

    .venv/bin/python scripts/linkage_starter_model.py [--people 5000]

The starter model is what a run uses when a partnership has too few records to
estimate m and u from its own data. It is estimated here, without labels, on a
synthetic population (:mod:`svduty.linkage.synthetic`, seed 13) exactly as a
run estimates a model; run this again whenever the comparisons change
(``engine.MODEL_VERSION``). Nothing about a real person is involved.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svduty.config.settings")
os.environ.setdefault("SVDUTY_TESTING", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    options = parser.parse_args()
    import django

    django.setup()
    import pandas as pd

    from svduty.cases.identifiers import (
        validate_nhs_number,
        validate_pnc_id,
        validate_upn,
    )
    from svduty.linkage import engine, synthetic
    from svduty.linkage.extract import checked_identifier

    rows = synthetic.all_extracts(synthetic.population(options.people, seed=13))
    data = pd.DataFrame(rows)
    for column, validate in (
        ("nhs_number", validate_nhs_number),
        ("upn", validate_upn),
        ("pnc_id", validate_pnc_id),
    ):
        checked = [checked_identifier(validate, v) for v in data[column]]
        data[column] = [c[0] for c in checked]
        data[f"{column}_valid"] = [c[1] for c in checked]
    data["unique_id"] = [str(i) for i in range(len(rows))]
    linker = engine.make_linker(engine.duckdb_api(), [engine.prepare(data)])
    engine.train(linker)
    model = linker.misc.save_model_to_json()
    model.pop("linker_uid", None)
    model["svduty"] = {
        "version": engine.MODEL_VERSION,
        "estimated_on": f"synthetic population of {options.people:,} people "
        f"({len(rows):,} records from five agencies)",
    }
    engine.STARTER_MODEL.write_text(json.dumps(model, indent=1) + "\n")
    print(f"wrote {engine.STARTER_MODEL} ({len(rows):,} records)")


if __name__ == "__main__":
    main()
