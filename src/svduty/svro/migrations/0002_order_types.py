"""The order types every installation starts with, with the documented defaults of
../shared/reference/svro-jtai-practice.md (A.1-A.5, A.10). They are rows: a force
changes the SVRO's lifecycle, bounds or notification period on the order types page,
and adds other types there, without a release."""

import datetime as dt

from django.db import migrations

TYPES = [
    {
        "code": "svro",
        "name": "Serious violence reduction order (SVRO)",
        "legal_basis": "Sentencing Act 2020 Part 11 Chapter 1A (s.342A-342L)",
        # The pilot: 19 April 2023 to 18 April 2025 in four forces [C].
        "lifecycle": "pilot_ended",
        "issuing_from": dt.date(2023, 4, 19),
        "issuing_until": dt.date(2025, 4, 18),
        "issuing_areas": ["merseyside", "sussex", "thames-valley", "west-midlands"],
        "min_months": 6,  # [S]
        "max_months": 24,  # [S]
        "minimum_age": 18,  # on the conviction date [C]
        "requires_conviction": True,
        # [U] the first day s.165 came into force to any extent (28 April 2022).
        "first_appointed_day": dt.date(2022, 4, 28),
        "gives_search_power": True,
        "notification_days": 3,  # [U] mirrors the KCPO (OWA 2019 s.24)
    },
    {
        "code": "kcpo",
        "name": "Knife crime prevention order (KCPO)",
        "legal_basis": "Offensive Weapons Act 2019 Part 2",
        "lifecycle": "national",
        "minimum_age": 12,  # [U]
        "notification_days": 3,  # [C] s.24
    },
    {
        "code": "cbo",
        "name": "Criminal behaviour order (CBO)",
        "legal_basis": "Sentencing Act 2020 s.330 onwards",
        "lifecycle": "national",
        "requires_conviction": True,
    },
    {
        "code": "scpo",
        "name": "Serious crime prevention order (SCPO)",
        "legal_basis": "Serious Crime Act 2007 Part 1",
        "lifecycle": "national",
        "max_months": 60,  # [C]
    },
]


def add_types(apps, schema_editor):
    OrderType = apps.get_model("svro", "OrderType")
    for values in TYPES:
        code = values["code"]
        fields = {key: value for key, value in values.items() if key != "code"}
        OrderType.objects.get_or_create(code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("svro", "0001_initial")]

    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
