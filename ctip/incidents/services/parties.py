"""The register of parties to conflict and their listing history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ctip.core.audit import audit_record
from ctip.core.models import ConflictSituation, User
from ctip.core.values import parse_choice, parse_id, parse_whole_number, split_items
from ctip.incidents import policies
from ctip.incidents.codes import Annex, IncidentsAction, PartyKind, Violation
from ctip.incidents.models import Listing, Party

UNKNOWN_PARTY = {"", "unknown", "unidentified", "-"}


def spellings(situation_id: int) -> dict[str, Party]:
    """Every name and alias of the situation's parties, casefolded → the party."""
    found: dict[str, Party] = {}
    for party in Party.objects.filter(situation_id=situation_id):
        for spelling in (party.name, *party.alias_list):
            found.setdefault(spelling.strip().casefold(), party)
    return found


def party_resolve(
    situation: ConflictSituation, raw: Any, known: dict[str, Party] | None = None
) -> Party | None:
    """A party of the situation by id, name or alias (any case); None for 'unknown'.
    LookupError when the text names no party of the situation. `known`: the situation's
    `spellings`, when the caller has them already (an import reads them once)."""
    text = str(raw or "").strip()
    if text.casefold() in UNKNOWN_PARTY:
        return None
    known = spellings(situation.pk) if known is None else known
    pk = parse_id(text)
    by_id = next((p for p in known.values() if pk is not None and p.pk == pk), None)
    found = by_id or known.get(text.casefold())
    if found is None:
        raise LookupError(text)
    return found


def clean_party(raw: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    situation = ConflictSituation.objects.filter(pk=parse_id(raw.get("situation")) or 0).first()
    if situation is None:
        errors["situation"] = _("A conflict situation in CTIP.")
    name = str(raw.get("name") or "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("A name of 1 to 200 characters.")
    kind = parse_choice(raw.get("kind"), "kind", PartyKind, errors)
    aliases = [a for a in split_items(raw.get("aliases")) if a.casefold() != name.casefold()]
    if len(";".join(aliases)) > 1000:
        errors["aliases"] = _("At most %(n)s characters.") % {"n": "1,000"}
    if errors:
        raise ValidationError(errors)
    return {"situation": situation, "name": name, "kind": kind, "aliases": ";".join(aliases)}


@transaction.atomic
def party_save(*, actor: User | None, raw: dict[str, Any], party: Party | None = None) -> Party:
    """Add a party to a situation's register, or change one; a name or alias that another
    party of the situation already uses is refused, so an import cannot be ambiguous."""
    if actor is not None:
        policies.require_monitor(actor)
    values = clean_party(raw)
    taken = spellings(values["situation"].pk)
    for spelling in (values["name"], *values["aliases"].split(";")):
        other = taken.get(spelling.casefold()) if spelling else None
        if other is not None and (party is None or other.pk != party.pk):
            raise ValidationError(
                {
                    "name": _("“%(name)s” is already a name of %(party)s.")
                    % {"name": spelling, "party": other.name}
                }
            )
    if party is None:
        party = Party.objects.create(**values)
    else:
        for name, value in values.items():
            setattr(party, name, value)
        party.save()
    audit_record(
        actor=actor,
        action=IncidentsAction.PARTY_SAVED,
        target=party,
        details={"situation": party.situation_id, "kind": party.kind},
    )
    return party


@transaction.atomic
def listing_save(*, actor: User, party: Party, raw: dict[str, Any]) -> Listing:
    """Record that a party is listed in an annex for a year, and for which violations."""
    policies.require_monitor(actor)
    errors: dict[str, str] = {}
    annex = parse_choice(raw.get("annex"), "annex", Annex, errors)
    year = parse_whole_number(raw.get("year"), minimum=2001, maximum=2100)
    if year is None:
        errors["year"] = _("A year from 2001 (the first annexed report).")
    codes = sorted(set(split_items(raw.get("violations"))))
    if not codes or set(codes) - set(Violation.values):
        errors["violations"] = _("One or more of: %(codes)s") % {
            "codes": ", ".join(Violation.values)
        }
    if errors:
        raise ValidationError(errors)
    listing, _created = Listing.objects.update_or_create(
        party=party,
        annex=annex,
        year=year,
        defaults={
            "violations": ";".join(codes),
            "measures_in_place": bool(raw.get("measures_in_place")),
        },
    )
    audit_record(
        actor=actor,
        action=IncidentsAction.LISTING_SAVED,
        target=party,
        details={"annex": annex, "year": year, "violations": listing.violations},
    )
    return listing
