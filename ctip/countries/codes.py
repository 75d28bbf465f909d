"""The instruments of source report para 19 and 63 (a), and the code lists of national response."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str | Promise
    short: str | Promise
    adopted: datetime.date
    in_force: datetime.date
    depositary: str
    parent: str = ""  # the convention a protocol supplements


D = datetime.date
INSTRUMENTS = [
    Instrument(
        "UNTOC",
        _("United Nations Convention against Transnational Organized Crime"),
        _("Organized Crime Convention"),
        D(2000, 11, 15),
        D(2003, 9, 29),
        "UN",
    ),
    Instrument(
        "UNTOC-TIP",
        _(
            "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women "
            "and Children"
        ),
        _("Trafficking in Persons Protocol"),
        D(2000, 11, 15),
        D(2003, 12, 25),
        "UN",
        parent="UNTOC",
    ),
    Instrument(
        "ILO-C029",
        _("Forced Labour Convention, 1930 (No. 29)"),
        _("ILO Convention 29"),
        D(1930, 6, 28),
        D(1932, 5, 1),
        "ILO",
    ),
    Instrument(
        "ILO-P029",
        _("Protocol of 2014 to the Forced Labour Convention, 1930"),
        _("ILO Protocol of 2014"),
        D(2014, 6, 11),
        D(2016, 11, 9),
        "ILO",
        parent="ILO-C029",
    ),
    Instrument(
        "ILO-C105",
        _("Abolition of Forced Labour Convention, 1957 (No. 105)"),
        _("ILO Convention 105"),
        D(1957, 6, 25),
        D(1959, 1, 17),
        "ILO",
    ),
    Instrument(
        "ILO-C182",
        _("Worst Forms of Child Labour Convention, 1999 (No. 182)"),
        _("ILO Convention 182"),
        D(1999, 6, 17),
        D(2000, 11, 19),
        "ILO",
    ),
    Instrument(
        "SLAVERY-1956",
        _(
            "Supplementary Convention on the Abolition of Slavery, the Slave Trade, and "
            "Institutions and Practices Similar to Slavery"
        ),
        _("1956 Supplementary Slavery Convention"),
        D(1956, 9, 7),
        D(1957, 4, 30),
        "UN",
    ),
    Instrument(
        "TRAFFIC-1949",
        _(
            "Convention for the Suppression of the Traffic in Persons and of the Exploitation "
            "of the Prostitution of Others"
        ),
        _("1949 Convention"),
        D(1949, 12, 2),
        D(1951, 7, 25),
        "UN",
    ),
    Instrument(
        "CRC",
        _("Convention on the Rights of the Child"),
        _("Convention on the Rights of the Child"),
        D(1989, 11, 20),
        D(1990, 9, 2),
        "UN",
    ),
    Instrument(
        "CRC-OPSC",
        _(
            "Optional Protocol to the Convention on the Rights of the Child on the sale of "
            "children, child prostitution and child pornography"
        ),
        _("Optional Protocol on the sale of children"),
        D(2000, 5, 25),
        D(2002, 1, 18),
        "UN",
        parent="CRC",
    ),
    Instrument(
        "CRC-OPAC",
        _(
            "Optional Protocol to the Convention on the Rights of the Child on the involvement "
            "of children in armed conflict"
        ),
        _("Optional Protocol on children in armed conflict"),
        D(2000, 5, 25),
        D(2002, 2, 12),
        "UN",
        parent="CRC",
    ),
    Instrument(
        "CEDAW",
        _("Convention on the Elimination of All Forms of Discrimination against Women"),
        _("CEDAW"),
        D(1979, 12, 18),
        D(1981, 9, 3),
        "UN",
    ),
    Instrument(
        "COE-CETS197",
        _("Council of Europe Convention on Action against Trafficking in Human Beings"),
        _("Council of Europe Convention"),
        D(2005, 5, 16),
        D(2008, 2, 1),
        "Council of Europe",
    ),
    Instrument(
        "ASEAN-ACTIP",
        _("ASEAN Convention against Trafficking in Persons, Especially Women and Children"),
        _("ASEAN Convention"),
        D(2015, 11, 21),
        D(2017, 3, 8),
        "ASEAN",
    ),
]
INSTRUMENTS_BY_CODE = {i.code: i for i in INSTRUMENTS}
INSTRUMENT_CHOICES = [(i.code, i.short) for i in INSTRUMENTS]


class ConsentKind(models.TextChoices):
    """How a participant consented to be bound; the letter is the UN Treaty Collection's mark."""

    RATIFICATION = "ratification", _("Ratification")
    ACCESSION = "accession", _("Accession")
    SUCCESSION = "succession", _("Succession")
    ACCEPTANCE = "acceptance", _("Acceptance")
    APPROVAL = "approval", _("Approval")
    FORMAL_CONFIRMATION = "formal_confirmation", _("Formal confirmation")


UNTC_MARKS = {
    "": ConsentKind.RATIFICATION,
    "a": ConsentKind.ACCESSION,
    "d": ConsentKind.SUCCESSION,
    "A": ConsentKind.ACCEPTANCE,
    "AA": ConsentKind.APPROVAL,
    "c": ConsentKind.FORMAL_CONFIRMATION,
}


class Criminalization(models.TextChoices):
    """Whether national law criminalizes trafficking as the Protocol defines it (para 21)."""

    FULL = "full", _("All forms in the Protocol")
    PARTIAL = "partial", _("Partial")
    NONE = "none", _("None")


# The measures of the national response (para 22-24 and 63 (e)), each yes / no / unknown.
RESPONSE_MEASURES = {
    "action_plan": _("National action plan in force"),
    "coordination_body": _("National coordination body"),
    "national_rapporteur": _("National rapporteur or equivalent"),
    "referral_mechanism": _("National referral mechanism"),
    "survivor_council": _("Survivor advisory council"),
    "specialised_units": _("Specialised police or prosecution units"),
    "jurisdiction_abroad": _("Jurisdiction over nationals abroad"),
}


class CountriesAction(models.TextChoices):
    """Audit actions of treaty status and national response."""

    TREATY_STATUS_IMPORTED = "countries.treaty_status_imported", _("Treaty status imported")
    RESPONSE_SAVED = "countries.response_saved", _("National response saved")
    RESPONSES_IMPORTED = "countries.responses_imported", _("National responses imported")
