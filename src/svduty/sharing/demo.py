"""Demo data: the real Cleveland open data, plus a clearly labelled synthetic police
crime extract and emergency department (ISTV) file, for the four community safety
partnerships and a force-wide partnership (CURV).

Real files (``../shared/data/real/cleveland``, or ``SVDUTY_REAL_DATA``) are imported
unmodified, so their SHA-256 matches the published files:
LSOA boundaries, the ONS 2011→2021 lookup, mid-2018 population, IMD 2019 and the
eleven data.police.uk months (January to November 2022). Each community safety
partnership gets its own LSOAs; the monthly police files are imported whole, and
rows in other partnerships' LSOAs are kept and counted as outside the area.

The synthetic files are generated with a fixed seed from the real violence, robbery
and weapons rows, so their places and months look real while every detail (dates,
times, codes, people) is made up. Their file names start ``SYNTHETIC-``, their
batches are marked synthetic and their messages say so.

Loading is idempotent: every import is skipped by SHA-256 when already done.
Attribution: Contains public sector information licensed under the Open Government
Licence v3.0. Source: data.police.uk; MHCLG, English Indices of Deprivation 2019;
Office for National Statistics. GeoJSON and TopoJSON UK Boundary Data by Martin
Chorley (CC BY 4.0); contains National Statistics and OS data © Crown copyright and
database right 2014.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from svduty.accounts.models import Agency, AgencyType, User
from svduty.partnership.models import LocalArea, Partnership, PartnershipMember
from svduty.sharing.imports import (
    announce_import_succeeded,
    file_digest,
    run_import,
    system_actor,
)
from svduty.sharing.models import (
    BatchStatus,
    DataSharingAgreement,
    DpiaOutcome,
    ImportBatch,
    LawfulBasis,
    LegalGateway,
)
from svduty.sharing.readers.health import ISTV_COLUMNS
from svduty.sharing.readers.police import CRIME_EXTRACT_COLUMNS
from svduty.sharing.s16 import is_s16_party

UK = ZoneInfo("Europe/London")
SEED = 20220101
SYNTHETIC = "SYNTHETIC-"

LADS = {
    "hartlepool": "E06000001",
    "middlesbrough": "E06000002",
    "redcar-and-cleveland": "E06000003",
    "stockton-on-tees": "E06000004",
}
FORCE_WIDE_SLUG = "cleveland"
FORCE_WIDE_NAME = "Cleveland Violence Reduction Partnership (CURV)"
# A specified authority that has not joined the force-wide partnership yet, so that
# the demo shows an area with a missing specified authority (issue 16): CURV's page
# and compliance task list name the gap.
NOT_YET_JOINED = "Redcar and Cleveland Youth Justice Service"
SERIOUS_VIOLENCE_TYPES = {
    "Violence and sexual offences",
    "Robbery",
    "Possession of weapons",
}

# Offence codes and descriptions by police.uk category (weights), all synthetic use.
OFFENCES = {
    "Violence and sexual offences": [
        ("105/01", "Assault without injury", 40),
        ("008/01", "Assault occasioning actual bodily harm", 25),
        ("008/06", "Wounding or inflicting grievous bodily harm without intent", 6),
        ("005/01", "Wounding with intent to do grievous bodily harm", 3),
        ("008/10", "Harassment", 14),
        ("017/04", "Sexual assault on a female aged 13 and over", 4),
        ("019/07", "Rape of a female aged 16 and over", 2),
    ],
    "Robbery": [
        ("034/01", "Robbery of personal property", 85),
        ("034/02", "Robbery of business property", 15),
    ],
    "Possession of weapons": [
        ("010/04", "Possession of an article with a blade or point", 65),
        ("010/01", "Possession of an offensive weapon", 30),
        ("081/00", "Possession of a firearm", 5),
    ],
}
AGE_BANDS = ["0-9", "10-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
VICTIM_AGE_WEIGHTS = [2, 14, 22, 24, 17, 11, 6, 4]
SUSPECT_AGE_WEIGHTS = [0, 16, 26, 27, 16, 9, 4, 2]
ETHNICITIES = ["W1", "W9", "A2", "A1", "B2", "M1", "O9", "NS"]
ETHNICITY_WEIGHTS = [82, 3, 4, 1, 2, 1, 1, 6]
ASSAULT_METHODS = [
    ("body_part", 55),
    ("blunt_object", 10),
    ("knife_or_sharp_object", 9),
    ("glass_or_bottle", 7),
    ("other", 7),
    ("not_known", 12),
]
LOCATION_TYPES = [
    ("street", 38),
    ("licensed_premises", 17),
    ("home", 24),
    ("park_or_open_space", 5),
    ("public_transport", 2),
    ("shop", 3),
    ("other", 5),
    ("not_known", 6),
]
ED_SITES = ["RVWAA", "RTRAT"]


def real_data_dir() -> Path:
    default = Path(settings.BASE_DIR).parents[2] / "shared" / "data" / "real"
    return Path(os.environ.get("SVDUTY_REAL_DATA", default)) / "cleveland"


def _say(context: dict, text: str) -> None:
    stdout = context.get("stdout")
    if stdout is not None:
        stdout.write(text)


def _pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


# --- Synthetic files -------------------------------------------------------------


def synthetic_rows(street_files: Iterable[Path], *, quick: bool):
    """(crime row, istv row or None) pairs generated from real serious violence rows.

    Deterministic: a fixed seed and the files in month order. In quick mode one row
    in ten is used.
    """
    rng = random.Random(SEED)
    number = 0
    for path in sorted(street_files):
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for index, row in enumerate(csv.DictReader(handle)):
                if row["Crime type"] not in SERIOUS_VIOLENCE_TYPES:
                    continue
                if quick and index % 10:
                    continue
                number += 1
                yield _synthetic_pair(rng, number, row)


def _synthetic_pair(rng: random.Random, number: int, row: dict):
    year, month = (int(x) for x in row["Month"].split("-"))
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    days = (next_month - dt.date(year, month, 1)).days
    day = rng.randint(1, days)
    hour = rng.choices(
        range(24),
        weights=[
            5,
            4,
            3,
            2,
            1,
            1,
            1,
            1,
            2,
            2,
            3,
            3,
            3,
            3,
            3,
            4,
            4,
            5,
            5,
            6,
            6,
            7,
            7,
            6,
        ],
    )[0]
    start = dt.datetime(year, month, day, hour, rng.randint(0, 59), tzinfo=UK)
    code, description, _ = _pick(rng, OFFENCES[row["Crime type"]])
    knife = code == "010/04" or (
        row["Crime type"] != "Possession of weapons" and rng.random() < 0.05
    )
    firearm = code == "081/00" or rng.random() < 0.003
    recorded = min(
        (start + dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 5]))).date(),
        next_month - dt.timedelta(days=1),
    )
    recorded = max(recorded, start.date())
    suspect_known = rng.random() < 0.6
    crime = [
        f"SYN-{year}-{number:06d}",
        recorded.isoformat(),
        start.strftime("%Y-%m-%d %H:%M"),
        "",
        code,
        description,
        "Y" if knife else "N",
        "Y" if firearm else "N",
        "Y" if row["Crime type"] != "Robbery" and rng.random() < 0.3 else "N",
        row["LSOA code"],
        row["Latitude"],
        row["Longitude"],
        rng.choices(AGE_BANDS, weights=VICTIM_AGE_WEIGHTS)[0],
        rng.choice(["male", "male", "female", "female", "not known"]),
        rng.choices(ETHNICITIES, weights=ETHNICITY_WEIGHTS)[0],
        rng.choices(AGE_BANDS, weights=SUSPECT_AGE_WEIGHTS)[0] if suspect_known else "",
        rng.choice(["male", "male", "male", "female"]) if suspect_known else "",
        rng.choices(ETHNICITIES, weights=ETHNICITY_WEIGHTS)[0] if suspect_known else "",
        rng.choice(["", "", "1", "14", "15", "16", "18", "21"]),
    ]
    istv = None
    # About one in five violent incidents leads to an emergency department visit;
    # a further share of ED assaults is never reported to police (added below).
    if row["Crime type"] != "Possession of weapons" and rng.random() < 0.2:
        istv = _istv_row(rng, start, row["LSOA code"], knife=knife)
    extra = None
    if rng.random() < 0.08 and start.date() < dt.date(2022, 11, 20):
        extra = _istv_row(
            rng,
            start + dt.timedelta(hours=rng.randint(1, 200)),
            row["LSOA code"],
            knife=False,
        )
    return crime, istv, extra


def _istv_row(rng: random.Random, when: dt.datetime, lsoa: str, *, knife: bool):
    method = "knife_or_sharp_object" if knife else _pick(rng, ASSAULT_METHODS)[0]
    arrival = when + dt.timedelta(minutes=rng.randint(20, 240))
    if arrival.date() > dt.date(2022, 11, 30):
        arrival = when
    return [
        "2022-01-01",
        "2022-11-30",
        rng.choice(ED_SITES),
        arrival.strftime("%Y-%m-%d %H:%M"),
        when.strftime("%Y-%m-%d %H:%M"),
        method,
        "",
        _pick(rng, LOCATION_TYPES)[0],
        "",
        lsoa,
        "",
    ]


def write_synthetic_files(
    folder: Path, street_files: list[Path], *, quick: bool
) -> tuple[Path, Path]:
    """Write (or reuse) the synthetic crime extract and ISTV file for Cleveland."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "-quick" if quick else ""
    crime_path = folder / f"{SYNTHETIC}cleveland-crime-extract-2022{suffix}.csv"
    istv_path = folder / f"{SYNTHETIC}cleveland-istv-2022{suffix}.csv"
    if crime_path.exists() and istv_path.exists():
        return crime_path, istv_path
    with (
        open(crime_path, "w", newline="", encoding="utf-8") as crime_file,
        open(istv_path, "w", newline="", encoding="utf-8") as istv_file,
    ):
        crimes, istv = csv.writer(crime_file), csv.writer(istv_file)
        crimes.writerow(CRIME_EXTRACT_COLUMNS)
        istv.writerow(ISTV_COLUMNS)
        for crime, istv_row, extra in synthetic_rows(street_files, quick=quick):
            crimes.writerow(crime)
            for attendance in (istv_row, extra):
                if attendance is not None:
                    istv.writerow(attendance)
    return crime_path, istv_path


def subset(source: Path, destination: Path, lsoas: set[str]) -> Path:
    """Rows of a synthetic file whose LSOA is one of ``lsoas`` (same header)."""
    if destination.exists():
        return destination
    with (
        open(source, newline="", encoding="utf-8") as handle,
        open(destination, "w", newline="", encoding="utf-8") as out,
    ):
        reader, writer = csv.reader(handle), csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        column = header.index("lsoa_code")
        for row in reader:
            if row[column] in lsoas:
                writer.writerow(row)
    return destination


# --- Partnerships, agreements and imports ----------------------------------------


def _force_wide_partnership() -> Partnership:
    partnership, _ = Partnership.objects.get_or_create(
        slug=FORCE_WIDE_SLUG, defaults={"name": FORCE_WIDE_NAME}
    )
    areas = {
        a.ons_code: a for a in LocalArea.objects.filter(ons_code__in=LADS.values())
    }
    partnership.areas.add(*areas.values())
    # Which community safety partnerships each agency is in: a force-wide agency (in
    # all four) covers every area; a council or youth justice service only its own.
    covers: dict[int, set[str]] = {}
    agencies: dict[int, PartnershipMember] = {}
    for member in PartnershipMember.objects.filter(
        partnership__slug__in=LADS
    ).select_related("agency", "partnership"):
        covers.setdefault(member.agency_id, set()).add(LADS[member.partnership.slug])
        agencies.setdefault(member.agency_id, member)
    for agency_id, codes in covers.items():
        source = agencies[agency_id]
        if source.agency.name == NOT_YET_JOINED:
            continue
        member, _ = PartnershipMember.objects.get_or_create(
            partnership=partnership,
            agency=source.agency,
            defaults={"statutory_role": source.statutory_role},
        )
        if codes != set(LADS.values()):
            member.areas.set([areas[c] for c in codes if c in areas])
    return partnership


def _agency(name: str, agency_type: str) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        name=name, defaults={"agency_type": agency_type}
    )
    return agency


def _agreements(partnership: Partnership, by: User) -> dict[str, DataSharingAgreement]:
    police = _agency("Cleveland Police", AgencyType.POLICE)
    icb = _agency("North East and North Cumbria Integrated Care Board", AgencyType.ICB)
    receivers = list(
        Agency.objects.filter(
            partnership_memberships__partnership=partnership,
            agency_type__in=[AgencyType.LOCAL_AUTHORITY, AgencyType.VRU],
        )
    )
    policing_body = list(
        Agency.objects.filter(
            partnership_memberships__partnership=partnership,
            agency_type=AgencyType.LOCAL_POLICING_BODY,
        )
    )
    common = {
        "lawful_basis": LawfulBasis.GDPR_PUBLIC_TASK,
        "dpia_outcome": DpiaOutcome.LOW_RISK,
        "retention_and_deletion": "Kept for the life of the strategy it informs "
        "plus one year, then deleted from svduty and every export.",
        "security_measures": "Transferred by upload to svduty only; role-based "
        "access with multi-factor authentication; every import and export audited.",
        "rights_route": "Requests go to the disclosing organisation's data "
        "protection officer, who consults the partnership.",
        "frequency": "Monthly",
        "signed_off_by": "Demo Data Protection Officer (synthetic)",
        "signed_off_at": dt.date(2022, 1, 4),
        "starts_on": dt.date(2022, 1, 1),
        "review_on": dt.date(2099, 1, 1),
        "created_by": by,
    }
    police_agreement, created = DataSharingAgreement.objects.get_or_create(
        partnership=partnership,
        title="Police recorded crime for the needs assessment (demo, synthetic data)",
        defaults={
            **common,
            "purpose": "To identify the kinds of serious violence in the area, where "
            "and when it happens and who is affected (Serious Violence Duty "
            "strategic needs assessment). Demo agreement for synthetic data.",
            "legal_gateway": LegalGateway.PCSC_S16,
            "for_duty_functions": True,
            "criminal_offence_condition": "DPA 2018 Schedule 1 paragraph 6 "
            "(statutory and government purposes).",
            "data_items": "Crime reference, dates, Home Office offence code, "
            "knife, firearm and domestic abuse flags, LSOA and location, victim and "
            "suspect age band, sex and self-defined ethnicity, outcome.",
            "datasets": ["police_crime_extract"],
            "dpia_reference": "DEMO-DPIA-01",
        },
    )
    if created:
        # Section 16 parties only: a VRU is not one (it acts through its host, the
        # local policing body), so it is not a party to this agreement.
        police_agreement.parties.set(
            [police, *[a for a in receivers if is_s16_party(a)], *policing_body]
        )
        police_agreement.providers.set([police])
    ed_agreement, created = DataSharingAgreement.objects.get_or_create(
        partnership=partnership,
        title="Emergency department assaults, ISTV (demo, synthetic data)",
        defaults={
            **common,
            "purpose": "To see violence that is not reported to police, by place and "
            "time, from anonymous emergency department data (Cardiff Model). Demo "
            "agreement for synthetic data.",
            # Anonymous data from a health body to the partners: the Crime and
            # Disorder Act 1998 s.115. (s.17 is the local policing body's request
            # power, not a route to a partnership; see docs/imports.md.)
            "legal_gateway": LegalGateway.CDA_S115,
            "personal_information": False,
            "special_category_condition": "Anonymous aggregate-level data; no "
            "special category data about identifiable people is shared.",
            "data_items": "ISTV minimum dataset (ISB 1594): reporting period, site, "
            "arrival and assault date and time, assault method, location type and "
            "LSOA. No patient identifiers.",
            "datasets": ["istv"],
            "dpia_reference": "DEMO-DPIA-02",
        },
    )
    if created:
        ed_agreement.parties.set([icb, *receivers])
        ed_agreement.providers.set([icb])
    return {"police_crime_extract": police_agreement, "istv": ed_agreement}


def _import(by: User, partnership: Partnership, kind: str, path: Path, **kwargs):
    """Import unless this exact file is already in; returns True if data changed."""
    sha256, _, _ = file_digest(path)
    if ImportBatch.objects.filter(
        partnership=partnership,
        kind=kind,
        sha256=sha256,
        status=BatchStatus.SUCCEEDED,
    ).exists():
        return False
    batch = run_import(
        by=by,
        partnership=partnership,
        kind=kind,
        path=path,
        rebuild_snapshot=False,
        **kwargs,
    )
    if batch.status != BatchStatus.SUCCEEDED:
        raise RuntimeError(
            f"Demo import of {path.name} into {partnership.slug} failed: "
            f"{batch.message} {batch.problems[:3]}"
        )
    return True


def load(context: dict) -> None:
    real = real_data_dir()
    if not real.is_dir():
        _say(context, f"Sharing demo skipped: no real data at {real}")
        return
    quick = bool(context.get("quick"))
    by = User.objects.filter(username="analyst").first() or system_actor()
    if not by.is_active:
        by = system_actor()
    with transaction.atomic():
        _force_wide_partnership()
    boundaries = real / "boundaries" / "lsoa_by_lad"
    reference = real / "reference"
    lookup = next(reference.glob("LSOA_(2011)_to_LSOA_(2021)*.csv"))
    population = next(reference.glob("SAPE21DT11*.xlsx"))
    imd = next(reference.glob("File_1_-_IMD2019*.xlsx"))
    street = sorted((real / "police-street").glob("*-street.csv"))
    if quick:
        street = street[:2]
    folder = Path(settings.MEDIA_ROOT) / "demo"
    crime_all, istv_all = write_synthetic_files(folder, street, quick=quick)

    targets = [(slug, [lad]) for slug, lad in LADS.items()]
    targets.append((FORCE_WIDE_SLUG, list(LADS.values())))
    for slug, lads in targets:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        changed = False
        for lad in lads:
            changed |= _import(
                by, partnership, "lsoa_boundaries", boundaries / f"{lad}.json"
            )
        for kind, path in (
            ("lsoa_lookup", lookup),
            ("lsoa_population", population),
            ("imd", imd),
        ):
            changed |= _import(by, partnership, kind, path)
        for path in street:
            changed |= _import(by, partnership, "police_street", path)
        agreements = _agreements(partnership, by)
        lsoas = set(_lsoa_codes(partnership))
        if slug == FORCE_WIDE_SLUG:
            crime, istv = crime_all, istv_all
        else:
            crime = subset(
                crime_all, folder / crime_all.name.replace("cleveland", slug), lsoas
            )
            istv = subset(
                istv_all, folder / istv_all.name.replace("cleveland", slug), lsoas
            )
        for kind, path in (("police_crime_extract", crime), ("istv", istv)):
            changed |= _import(
                by,
                partnership,
                kind,
                path,
                agreement=agreements[kind],
                synthetic=True,
            )
        if changed:
            announce_import_succeeded(partnership)
        _say(context, f"Sharing demo: {partnership.name} loaded")


def _lsoa_codes(partnership: Partnership) -> list[str]:
    from svduty.sharing.models import Lsoa

    return list(
        Lsoa.objects.filter(partnership=partnership).values_list("code", flat=True)
    )
