"""Code lists of the incidents app: violations as the monitoring and reporting mechanism on
grave violations against children names them (with trafficking and sexual violence against
adults, para 8-10 of the report), verification as Primero MRM tracks it, abductees' status."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PartyKind(models.TextChoices):
    STATE = "state_armed_force", _("State armed force or security force")
    NON_STATE = "non_state_armed_group", _("Non-state armed group")
    OTHER = "other", pgettext_lazy("party", "Other")


class Annex(models.TextChoices):
    """The annexes of the Secretary-General's annual reports that list parties."""

    CAAC_I = "caac_i", _("Children and armed conflict, annex I")
    CAAC_II = "caac_ii", _("Children and armed conflict, annex II")
    CRSV = "crsv", _("Conflict-related sexual violence, annex")


class Violation(models.TextChoices):
    ABDUCTION = "abduction", _("Abduction")
    SEXUAL_VIOLENCE = (
        "sexual_violence",
        _("Sexual violence, including sexual slavery and forced marriage"),
    )
    RECRUITMENT_USE = "recruitment_use", _("Recruitment and use")
    TRAFFICKING = "trafficking", _("Trafficking in persons, for any purpose")
    KILLING_MAIMING = "killing_maiming", _("Killing and maiming")
    ATTACK_SCHOOL_HOSPITAL = "attack_school_hospital", _("Attack on a school or hospital")
    DENIAL_ACCESS = "denial_humanitarian_access", _("Denial of humanitarian access")


def violation_labels(codes: list[str]) -> list[str]:
    """The violations' names in the user's language, for pages."""
    names = dict(Violation.choices)
    return [str(names.get(code, code)) for code in codes]


# An abduction together with one of these is an abduction for exploitation: its victims are
# conflict-related victims of trafficking in the statistics (para 63 (h)).
EXPLOITATION: dict[str, tuple[str, ...]] = {
    Violation.SEXUAL_VIOLENCE: ("SexualExploitation",),
    Violation.RECRUITMENT_USE: ("ForcedMilitaryByNonStateActors",),
    Violation.TRAFFICKING: ("Other",),
}


class Verification(models.TextChoices):
    REPORTED = "reported", _("Reported")
    UNDER_VERIFICATION = "under_verification", _("Under verification")
    VERIFIED = "verified", _("Verified")
    NOT_VERIFIED = "not_verified", _("Not verified")
    UNVERIFIABLE = "unverifiable", _("Unverifiable")


DECIDED = frozenset({Verification.VERIFIED, Verification.NOT_VERIFIED, Verification.UNVERIFIABLE})


class VerificationBasis(models.TextChoices):
    """What a decision rests on (the MRM's standard of 'reliable information')."""

    UN_OBSERVED = "un_observed", _("Observed by UN staff")
    FIRST_HAND = "first_hand_corroborated", _("First-hand account, corroborated")
    TWO_SOURCES = "two_independent_sources", _("Two or more independent, credible sources")
    DOCUMENTS = "documentary_evidence", _("Documentary, medical or forensic evidence")
    INSUFFICIENT = "insufficient", _("Information insufficient or not credible")
    NO_ACCESS = "no_access", _("No access to sources or to the place")


class Reliability(models.TextChoices):
    """A source's reliability, as monitors grade it."""

    RELIABLE = "reliable", _("Reliable")
    USUALLY_RELIABLE = "usually_reliable", _("Usually reliable")
    NOT_USUALLY_RELIABLE = "not_usually_reliable", _("Not usually reliable")
    UNKNOWN = "unknown", pgettext_lazy("reliability", "Cannot be judged")


class VictimGroup(models.TextChoices):
    """How the MRM counts victims: by sex and age."""

    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    UNKNOWN = "unknown_sex", _("Sex or age unknown")


# victim group → (SDMX sex, SDMX age group) for the statistics
GROUP_SEX_AGE: dict[str, tuple[str, str]] = {
    VictimGroup.GIRLS: ("F", "Y0T17"),
    VictimGroup.BOYS: ("M", "Y0T17"),
    VictimGroup.WOMEN: ("F", "Y_GE18"),
    VictimGroup.MEN: ("M", "Y_GE18"),
    VictimGroup.UNKNOWN: ("_U", "_U"),
}


class AbducteeStatus(models.TextChoices):
    HELD = "held", _("Still held")
    ESCAPED = "escaped", _("Escaped")
    RELEASED = "released", _("Released")
    REUNIFIED = "reunified", _("Returned and reunified")
    DECEASED = "deceased", _("Deceased")
    UNKNOWN = "unknown", pgettext_lazy("whereabouts", "Unknown")


FREE = frozenset({AbducteeStatus.ESCAPED, AbducteeStatus.RELEASED, AbducteeStatus.REUNIFIED})


class IncidentsAction(models.TextChoices):
    PARTY_SAVED = "incidents.party_saved", _("Party to conflict saved")
    LISTING_SAVED = "incidents.listing_saved", _("Listing of a party recorded")
    INCIDENT_RECORDED = "incidents.recorded", _("Incident recorded")
    INCIDENT_UPDATED = "incidents.updated", _("Incident updated")
    VERIFICATION = "incidents.verification", _("Incident verification changed")
    STATUS_IMPORTED = "incidents.status_imported", _("Verification status imported")
    INCIDENTS_IMPORTED = "incidents.imported", _("Incidents imported")
    DETAILS_VIEWED = "incidents.details_viewed", _("Incident sources and narrative viewed")
    ABDUCTEE_ADDED = "incidents.abductee_added", _("Abductee recorded")
    ABDUCTEE_STATUS = "incidents.abductee_status", _("Abductee's status changed")
    ABDUCTEE_REFERRED = "incidents.abductee_referred", _("Abductee referred for assistance")
    ABDUCTEE_VIEWED = "incidents.abductee_viewed", _("Abductee's identity viewed")
    PATTERNS_EXPORTED = "incidents.patterns_exported", _("Incident patterns exported")
    REPORTED = "incidents.reported", _("Verified abductions reported to the statistics")
