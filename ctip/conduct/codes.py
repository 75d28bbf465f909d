"""Code lists of allegations of sexual exploitation and abuse (source report para 17-18, 36,
43-47), after the UN's public conduct data and General Assembly resolution 70/286."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    COMMUNITY = "community", _("Community-based complaint mechanism")
    HOTLINE = "hotline", _("Hotline")
    STAFF = "staff", _("Staff report")
    NGO = "ngo", _("Non-governmental organization")
    PUBLIC_FORM = "public_form", _("Anonymous public form")


class Category(models.TextChoices):
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    TRANSACTIONAL_SEX = "transactional_sex", _("Transactional sex")
    EXPLOITATIVE_RELATIONSHIP = "exploitative_relationship", _("Exploitative relationship")
    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    TRAFFICKING = "trafficking", _("Trafficking for sexual exploitation")


class PersonnelCategory(models.TextChoices):
    MILITARY = "military", _("Military contingent")
    FORMED_POLICE = "formed_police", _("Formed police unit")
    INDIVIDUAL_POLICE = "individual_police", _("Individual police")
    CIVILIAN = "civilian", _("Civilian staff")
    VOLUNTEER = "volunteer", _("UN volunteer")
    CONTRACTOR = "contractor", _("Contractor")
    NON_UN_FORCE = "non_un_force", _("Non-UN force under a Security Council mandate")
    UNKNOWN = "unknown", _("Unknown")


# Contingents are national: their nationality matters for referral and for patterns.
CONTINGENT_CATEGORIES = {
    PersonnelCategory.MILITARY,
    PersonnelCategory.FORMED_POLICE,
    PersonnelCategory.NON_UN_FORCE,
}


class AllegationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    CLOSED = "closed", pgettext_lazy("allegation", "Closed")


class InvestigatingBody(models.TextChoices):
    OVERSIGHT = "oversight", _("Central oversight office")
    NATIONAL = "national", _("Troop- or police-contributing country's national investigator")
    ENTITY = "entity", _("The entity itself")


class Outcome(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    SUBSTANTIATED = "substantiated", _("Substantiated")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")


class Measure(models.TextChoices):
    """Actions taken on a substantiated allegation, and interim measures."""

    REPATRIATION = "repatriation", _("Repatriation")
    DISMISSAL = "dismissal", _("Dismissal")
    IMPRISONMENT = "imprisonment", _("Imprisonment")
    FINANCIAL = "financial", _("Financial measures")
    ADMINISTRATIVE_LEAVE = "administrative_leave", _("Administrative leave")
    PAYMENTS_WITHHELD = "payments_withheld", _("Payments withheld")


class ResponseStep(models.TextChoices):
    """The immediate response checklist on intake."""

    VICTIM_SAFE = "victim_safe", _("Victim safe and referred for assistance")
    EVIDENCE_SECURED = "evidence_secured", _("Evidence identified and secured")
    MEDICAL = "medical", _("Medical care offered (within 72 hours)")
    STATEMENT = "statement", _("Initial account recorded by a trained person")
    REFERRED = "referred", _("Referred to the investigating body")
    CONTRIBUTOR_NOTIFIED = "contributor_notified", _("Contributing country notified")


class CustodyAction(models.TextChoices):
    COLLECTED = "collected", _("Collected")
    TRANSFERRED = "transferred", _("Transferred")
    STORED = "stored", _("Stored")
    EXAMINED = "examined", _("Examined")
    RETURNED = "returned", _("Returned or destroyed")


class ConductAction(models.TextChoices):
    """Audit actions of the conduct app."""

    ALLEGATION_RECORDED = "conduct.allegation_recorded", _("Allegation recorded")
    VICTIM_REFERRED = (
        "conduct.victim_referred",
        _("Victim referred to assistance paid by a trust fund"),
    )
    IDENTITY_VIEWED = "conduct.identity_viewed", _("Identity in an allegation viewed")
    STEP_DONE = "conduct.step_done", _("Response step done")
    CUSTODY_LOGGED = "conduct.custody_logged", _("Evidence custody logged")
    INVESTIGATION_SAVED = "conduct.investigation_saved", _("Investigation saved")
    INVESTIGATION_EXTENDED = "conduct.investigation_extended", _("Investigation extended")
    DEADLINE_ALERT = "conduct.deadline_alert", _("Investigation deadline alert sent")
    VETTING_CHECKED = "conduct.vetting_checked", _("Person vetted")
    CERTIFICATION_SAVED = "conduct.certification_saved", _("Unit certification saved")
    UNIT_REGISTERED = "conduct.unit_registered", _("Unit registered")
    UNIT_MERGED = "conduct.unit_merged", _("Unit merged into another")


class UnitError(models.TextChoices):
    """Why a unit cannot be registered or merged."""

    REQUIRED = "required", _("This field is required.")
    REGISTERED = "registered", _("This unit is already registered.")
    SAME = "same", _("A unit cannot be merged into itself.")
    CONTINGENT = "contingent", _("Only units of the same mission and contingent can be merged.")
    MERGED = "merged", _("This unit was already merged into another.")
