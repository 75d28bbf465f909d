"""Register the units already typed on allegations and certifications (issue 18).

Spellings that share a key ("BANBAT-2", "Banbat 2", "BANBAT 2 ") in one mission and one
contingent become one registered unit, named by its most frequent spelling (on a tie, the
one found first, allegations before certifications, oldest first); each allegation and certification then names that unit
(`registered_unit`) and its `unit` text is rewritten to the registered name. A certification
whose rewritten name would clash with another certification of the same unit and deployment
keeps its text (it still names the unit); nothing is deleted.

The reverse is a no-op: the spellings as first typed are not kept, and the registered names
stay in the text columns (the schema migration 0005, reversed after it, drops the register
and the links). Units registered here carry no audit event and no `registered_by`.

The key is computed by a frozen copy of `ctip.conduct.models.unit_key`, so that a later
change of that function does not change what this migration did.
"""

import unicodedata
from collections import Counter, defaultdict

from django.db import migrations
from django.db.models import Q

UNIT_NAME_LENGTH, UNIT_KEY_LENGTH = 120, 240


def _name(typed):
    return " ".join(typed.split())[:UNIT_NAME_LENGTH]


def _key(name):
    kept = []
    for char in unicodedata.normalize("NFKD", name.casefold()):
        if unicodedata.combining(char):
            continue
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            kept.append(str(digit))
        elif char.isalnum():
            kept.append(char)
    return "".join(kept)[:UNIT_KEY_LENGTH]


def register_units(apps, schema_editor):
    Allegation = apps.get_model("conduct", "Allegation")
    Certification = apps.get_model("conduct", "UnitCertification")
    Unit = apps.get_model("conduct", "Unit")
    rows = [
        (Allegation, pk, entity, country, typed)
        for pk, entity, country, typed in Allegation.objects.filter(registered_unit__isnull=True)
        .exclude(unit="")
        .order_by("pk")
        .values_list("pk", "entity_id", "contingent_country_id", "unit")
    ] + [
        (Certification, pk, entity, country, typed)
        for pk, entity, country, typed in Certification.objects.filter(
            registered_unit__isnull=True
        )
        .order_by("pk")
        .values_list("pk", "entity_id", "country_id", "unit")
    ]
    spellings = defaultdict(Counter)  # (entity, country, key) -> spelling -> count
    for _model, _pk, entity, country, typed in rows:
        name = _name(typed)
        if _key(name):
            spellings[(entity, country, _key(name))][name] += 1  # first seen first on a tie
    units = {}
    for (entity, country, key), counts in spellings.items():
        name = counts.most_common(1)[0][0]
        unit = Unit.objects.filter(entity_id=entity, country_id=country, key=key).first()
        if unit is None:
            unit = Unit.objects.create(entity_id=entity, country_id=country, key=key, name=name)
        units[(entity, country, key)] = unit.merged_into or unit
    for model, pk, entity, country, typed in rows:
        unit = units.get((entity, country, _key(_name(typed))))
        if unit is None:
            continue  # nothing that names a unit ("—"): left as typed
        values = {"registered_unit": unit, "unit": unit.name}
        if model is Certification:
            row = Certification.objects.get(pk=pk)
            clash = (
                Certification.objects.filter(
                    entity_id=entity, country_id=country, unit=unit.name, deployed_on=row.deployed_on
                )
                .filter(~Q(pk=pk))
                .exists()
            )
            if clash:
                values = {"registered_unit": unit}
        model.objects.filter(pk=pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [("conduct", "0005_unit_register")]

    operations = [migrations.RunPython(register_units, migrations.RunPython.noop)]
