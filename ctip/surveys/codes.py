"""Code lists of the surveys app: IOM DTM flow monitoring's exploitation indicators as the
starting set, the composites, the breakdown variables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Experience(models.TextChoices):
    """Whose experience an indicator asks about (DTM separates the two)."""

    DIRECT = "direct", _("The respondent's own experience")
    FAMILY = "family", _("A family member's experience")


# The DTM flow monitoring survey's questions on trafficking and other exploitative practices
# (Mediterranean routes, 2016-2017): code → (question, experience). Others can be added.
DTM_INDICATORS = {
    "unpaid_work": (
        _("Have you worked or performed other activities without getting the expected payment?"),
        Experience.DIRECT,
    ),
    "forced_work": (
        _("Have you been forced to perform work or other activities against your will?"),
        Experience.DIRECT,
    ),
    "held_captive": (
        _(
            "Have you been kept at a certain location against your will, by persons other "
            "than the authorities?"
        ),
        Experience.DIRECT,
    ),
    "marriage_offer": (
        _("Have you been approached by someone with an offer of an arranged marriage?"),
        Experience.DIRECT,
    ),
    "organs_offer": (
        _("Have you been approached with an offer of money for blood, organs or body parts?"),
        Experience.DIRECT,
    ),
    "physical_violence": (
        _("Have you experienced physical violence during the journey?"),
        Experience.DIRECT,
    ),
    "family_forced_work": (
        _("Has a family member travelling with you been forced to work against their will?"),
        Experience.FAMILY,
    ),
}


class Composite(models.TextChoices):
    """Yes when any of its indicators is yes; no when all are answered no; left out when
    none is yes and some are blank."""

    ANY = "any", _("Yes to at least one indicator")
    ANY_DIRECT = "any_direct", _("Yes to at least one, own experience")
    ANY_FAMILY = "any_family", _("Yes to at least one, a family member's experience")


class Breakdown(models.TextChoices):
    """What estimates can be broken down by: a column of every response."""

    ROUTE = "route", _("Route")
    NATIONALITY = "nationality", _("Nationality")
    SEX = "sex", _("Sex")
    AGE_BAND = "age_band", _("Age band")
    COUNTRY = "country_of_interview", _("Country of interview")
    WAVE = "wave", _("Survey wave")


class SurveysAction(models.TextChoices):
    SURVEY_SAVED = "surveys.saved", _("Survey defined")
    INDICATOR_SAVED = "surveys.indicator_saved", _("Survey indicator defined")
    RESPONSES_IMPORTED = "surveys.imported", _("Survey responses imported")
    ESTIMATES_EXPORTED = "surveys.exported", _("Survey estimates exported")
    PUBLISHED = "surveys.published", _("Survey estimates published")
