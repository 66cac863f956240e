"""Synthetic partner person extracts with known truth, for tests, the benchmark and
the demo. Nothing here is about a real person.

:func:`population` makes people (common names weighted like real name
frequencies, twins, siblings, identifiers with valid check digits);
:func:`extract` makes one agency's view of some of them with the errors real
extracts have: typing slips, nicknames and short forms, transliteration variants,
forename and surname transposed, one half of a double-barrelled surname, day and
month swapped, year off by one, house moves, identifiers missing or mistyped.
Each row carries ``true_id`` (dropped when written as an import file).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from svduty.cases.identifiers import nhs_check_digit, pnc_check_letter, upn_check_letter
from svduty.linkage.extract import TEMPLATE_COLUMNS
from svduty.linkage.names import NICKNAMES, VARIANTS

GIRLS = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Evie",
    "Ella",
    "Poppy",
    "Emily",
    "Charlotte",
    "Florence",
    "Sienna",
    "Phoebe",
    "Harper",
    "Chloe",
    "Jessica",
    "Ruby",
    "Daisy",
    "Alice",
    "Sophie",
    "Millie",
    "Matilda",
    "Elizabeth",
    "Katherine",
    "Rebecca",
    "Abigail",
    "Victoria",
    "Samantha",
    "Jennifer",
    "Aisha",
    "Fatima",
    "Zainab",
    "Maryam",
    "Amira",
    "Leah",
    "Hannah",
    "Niamh",
    "Caitlin",
    "Megan",
    "Bethany",
    "Courtney",
    "Jade",
    "Kayleigh",
    "Shannon",
    "Lauren",
    "Paige",
]
BOYS = [
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Muhammad",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theodore",
    "Freddie",
    "Jack",
    "Charlie",
    "Thomas",
    "Jacob",
    "Alfie",
    "William",
    "Joshua",
    "James",
    "Daniel",
    "Samuel",
    "Benjamin",
    "Matthew",
    "Christopher",
    "Jonathan",
    "Alexander",
    "Nicholas",
    "Michael",
    "Anthony",
    "Joseph",
    "Edward",
    "Robert",
    "Richard",
    "Liam",
    "Connor",
    "Kyle",
    "Jordan",
    "Callum",
    "Reece",
    "Bradley",
    "Ibrahim",
    "Yusuf",
    "Ali",
    "Omar",
    "Hassan",
    "Adam",
    "Ryan",
    "Tyler",
    "Kieran",
    "Lewis",
    "Nathan",
    "Dylan",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "James",
    "Phillips",
    "Mason",
    "Mitchell",
    "Rose",
    "Davis",
    "Rodriguez",
    "Cox",
    "Alexander",
    "Garden",
    "Campbell",
    "Johnston",
    "Moore",
    "Smyth",
    "Oneill",
    "Doherty",
    "Stewart",
    "Quinn",
    "Murphy",
    "Graham",
    "Mclaughlin",
    "Hamilton",
    "Murray",
    "Hughes",
    "Robertson",
    "Thomson",
    "Scott",
    "Macdonald",
    "Reid",
    "Clark",
    "Ross",
    "Young",
    "Watson",
    "Paterson",
    "Morrison",
    "Ahmed",
    "Hussain",
    "Ali",
    "Begum",
    "Shah",
    "Iqbal",
    "Rahman",
    "Akhtar",
    "Mahmood",
    "Nowak",
    "Kowalski",
    "Wisniewski",
    "Popescu",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Osei",
    "Ncube",
    "Nguyen",
    "Chen",
    "Wong",
    "Li",
    "Singh",
    "Kaur",
    "Sharma",
    "Gill",
    "Atkinson",
    "Bell",
    "Dixon",
    "Harrison",
    "Hewitt",
    "Lowther",
    "Pickering",
    "Redhead",
    "Sowerby",
    "Teasdale",
    "Thwaites",
    "Trotter",
    "Waugh",
    "Weatherill",
    "Wilkinson",
    "Bainbridge",
    "Coulson",
]
ETHNICITIES = (
    ("White: English, Welsh, Scottish, Northern Irish or British", 0.78),
    ("Asian or Asian British: Pakistani", 0.05),
    ("Asian or Asian British: Indian", 0.02),
    ("Asian or Asian British: Bangladeshi", 0.01),
    ("Black, Black British, Caribbean or African: African", 0.03),
    ("Mixed or multiple: White and Black Caribbean", 0.02),
    ("White: any other White background", 0.05),
    ("Asian or Asian British: Chinese", 0.01),
    ("Mixed or multiple: any other Mixed or multiple background", 0.02),
    ("Other ethnic group: Arab", 0.01),
)
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Avenue",
    "Victoria Road",
    "York Road",
    "Albert Terrace",
    "Linthorpe Road",
    "Marton Road",
    "Acklam Road",
    "Durham Road",
    "Coronation Street",
    "Queen Street",
    "King Street",
    "Green Lane",
    "Grange Road",
    "The Crescent",
    "Mill Lane",
]
DISTRICTS = ("TS1", "TS3", "TS4", "TS5", "TS6", "TS10", "TS17", "TS18", "TS24", "TS25")

AGENCIES = (
    # code, reason, how many of the people it holds, how many identifiers it knows
    ("SCHOOL", "Pupil on roll", 0.7, {"upn": 0.95, "nhs_number": 0.1, "pnc_id": 0}),
    ("YJS", "Youth justice case", 0.25, {"upn": 0.3, "nhs_number": 0.3, "pnc_id": 0.8}),
    ("POLICE", "Nominal record", 0.35, {"upn": 0, "nhs_number": 0.05, "pnc_id": 0.7}),
    (
        "CSC",
        "Social care referral",
        0.3,
        {"upn": 0.5, "nhs_number": 0.6, "pnc_id": 0.1},
    ),
    (
        "ED",
        "Emergency department attendance",
        0.3,
        {"upn": 0, "nhs_number": 0.9, "pnc_id": 0},
    ),
)


@dataclass(frozen=True)
class TruePerson:
    id: int
    forenames: str
    surname: str
    date_of_birth: dt.date
    sex: str
    ethnicity: str
    postcode: str
    address: str
    nhs_number: str
    upn: str
    pnc_id: str


def _zipf(rng: random.Random, names: Sequence[str]) -> str:
    # Name frequencies fall off roughly as 1/rank: common names are common.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(names))]
    return rng.choices(names, weights=weights)[0]


def nhs_number(rng: random.Random) -> str:
    while True:
        first = "".join(rng.choice(string.digits) for _ in range(9))
        check = nhs_check_digit(first)
        if check is not None:
            return f"{first}{check}"


def upn(rng: random.Random) -> str:
    rest = "".join(rng.choice(string.digits) for _ in range(12))
    return upn_check_letter(rest) + rest


def pnc_id(rng: random.Random, born: dt.date) -> str:
    year = str(min(born.year + rng.randint(12, 17), 2026))
    serial = str(rng.randint(1, 9_999_999)).zfill(7)
    return f"{year}/{serial}{pnc_check_letter(year, serial)}"


def _address(rng: random.Random) -> tuple[str, str]:
    district = rng.choice(DISTRICTS)
    postcode = f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    postcode += rng.choice("ABDEFGHJLNPQRSTUWXYZ")
    return postcode, f"{rng.randint(1, 180)} {rng.choice(STREETS)}"


def population(
    size: int, *, seed: int = 13, today: dt.date | None = None
) -> list[TruePerson]:
    """``size`` people aged 8 to 24, about 1.5% of them twins (same surname, date
    of birth and address, different forename) and more as siblings."""
    rng = random.Random(seed)
    today = today or dt.date(2026, 1, 1)
    people: list[TruePerson] = []
    while len(people) < size:
        sex = rng.choice("FM")
        born = today - dt.timedelta(days=rng.randint(8 * 365, 24 * 365))
        postcode, address = _address(rng)
        ethnicity = rng.choices(
            [e for e, _ in ETHNICITIES], weights=[w for _, w in ETHNICITIES]
        )[0]
        surname = _zipf(rng, SURNAMES)
        if rng.random() < 0.03:
            surname = f"{surname}-{_zipf(rng, SURNAMES)}"
        person = TruePerson(
            id=len(people) + 1,
            forenames=_zipf(rng, GIRLS if sex == "F" else BOYS),
            surname=surname,
            date_of_birth=born,
            sex=sex,
            ethnicity=ethnicity,
            postcode=postcode,
            address=address,
            nhs_number=nhs_number(rng),
            upn=upn(rng),
            pnc_id=pnc_id(rng, born),
        )
        people.append(person)
        if len(people) < size and rng.random() < 0.015:
            twin_sex = rng.choice("FM")
            names = GIRLS if twin_sex == "F" else BOYS
            forename = person.forenames
            while forename == person.forenames:
                forename = _zipf(rng, names)
            people.append(
                replace(
                    person,
                    id=len(people) + 1,
                    forenames=forename,
                    sex=twin_sex,
                    nhs_number=nhs_number(rng),
                    upn=upn(rng),
                    pnc_id=pnc_id(rng, born),
                )
            )
    return people


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.35:  # swap two letters
        i = min(i, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.6:  # a letter left out
        return word[:i] + word[i + 1 :]
    if kind < 0.8:  # a letter doubled
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def _mistype_digit(rng: random.Random, value: str) -> str:
    positions = [i for i, c in enumerate(value) if c.isdigit()]
    i = rng.choice(positions)
    digit = str((int(value[i]) + rng.randint(1, 9)) % 10)
    return value[:i] + digit + value[i + 1 :]


def _date_error(rng: random.Random, born: dt.date) -> dt.date:
    choice = rng.random()
    if choice < 0.45 and born.day <= 12 and born.day != born.month:
        return dt.date(born.year, born.day, born.month)  # day and month swapped
    if choice < 0.75:
        try:
            return born.replace(year=born.year + rng.choice((-1, 1)))
        except ValueError:
            return born
    day = born.day + rng.choice((-1, 1, 10, -10))
    try:
        return born.replace(day=day)
    except ValueError:
        return born


def noisy_row(
    rng: random.Random,
    person: TruePerson,
    agency: str,
    local_id: str,
    reason: str,
    identifiers: dict[str, float],
    *,
    noise: float = 1.0,
) -> dict[str, str]:
    """One agency's record of ``person``, with realistic errors (``noise`` scales
    how often each happens)."""

    def chance(p: float) -> bool:
        return rng.random() < p * noise

    forenames, surname = person.forenames, person.surname
    if forenames in NICKNAMES and chance(0.2):
        forenames = rng.choice(NICKNAMES[forenames])
    if forenames in VARIANTS and chance(0.4):
        forenames = rng.choice(VARIANTS[forenames])
    if surname in VARIANTS and chance(0.4):
        surname = rng.choice(VARIANTS[surname])
    if "-" in surname and chance(0.4):
        surname = rng.choice(surname.split("-"))
    if chance(0.06):
        forenames = _typo(rng, forenames)
    if chance(0.06):
        surname = _typo(rng, surname)
    if chance(0.015):
        forenames, surname = surname, forenames
    born: dt.date | None = person.date_of_birth
    if chance(0.04):
        born = _date_error(rng, person.date_of_birth)
    elif chance(0.01):
        born = None
    postcode, address = person.postcode, person.address
    if chance(0.15):
        postcode, address = _address(rng)  # an older or newer address
    elif chance(0.05):
        postcode = address = ""
    row = {
        "agency_code": agency,
        "local_id": local_id,
        "forenames": forenames,
        "surname": surname.upper() if chance(0.1) else surname,
        "other_names": "",
        "date_of_birth": born.isoformat() if born else "",
        "sex": person.sex if not chance(0.03) else "",
        "ethnicity": person.ethnicity if not chance(0.3) else "",
        "postcode": postcode,
        "address": address,
        "nhs_number": "",
        "upn": "",
        "pnc_id": "",
        "reason": reason,
    }
    for key, share in identifiers.items():
        if share and rng.random() < share:
            value = getattr(person, key)
            if chance(0.02):
                value = _mistype_digit(rng, value)
            row[key] = value
    return row


def extract(
    people: Sequence[TruePerson],
    agency: str,
    *,
    share: float,
    identifiers: dict[str, float],
    reason: str = "",
    seed: int = 1,
    noise: float = 1.0,
) -> list[dict[str, str]]:
    """One agency's extract: about ``share`` of ``people``, each with ``true_id``."""
    rng = random.Random(f"{seed}-{agency}")
    rows = []
    used: set[int] = set()
    for person in people:
        if rng.random() >= share:
            continue
        number = rng.randint(10**6, 10**8 - 1)
        while number in used:
            number = rng.randint(10**6, 10**8 - 1)
        used.add(number)
        local_id = f"{agency[:3]}{number}"
        row = noisy_row(rng, person, agency, local_id, reason, identifiers, noise=noise)
        row["true_id"] = str(person.id)
        rows.append(row)
    return rows


def all_extracts(
    people: Sequence[TruePerson], *, seed: int = 1, noise: float = 1.0
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for code, reason, share, identifiers in AGENCIES:
        rows += extract(
            people,
            code,
            share=share,
            identifiers=identifiers,
            reason=reason,
            seed=seed,
            noise=noise,
        )
    return rows


def write_csv(path: Path, rows: Iterable[dict[str, str]]) -> Path:
    """The rows as an import file (the template's columns, no ``true_id``)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=TEMPLATE_COLUMNS, extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    return path
