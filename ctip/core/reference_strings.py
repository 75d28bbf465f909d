"""Names that live in data files, listed here so that makemessages extracts them."""

from django.utils.translation import gettext_noop

M49_REGION_NAMES = [
    gettext_noop("Africa"), gettext_noop("Americas"), gettext_noop("Asia"),
    gettext_noop("Europe"), gettext_noop("Oceania"), gettext_noop("Northern Africa"),
    gettext_noop("Sub-Saharan Africa"), gettext_noop("Latin America and the Caribbean"),
    gettext_noop("Northern America"), gettext_noop("Central Asia"), gettext_noop("Eastern Asia"),
    gettext_noop("South-eastern Asia"), gettext_noop("Southern Asia"),
    gettext_noop("Western Asia"), gettext_noop("Eastern Europe"),
    gettext_noop("Northern Europe"), gettext_noop("Southern Europe"),
    gettext_noop("Western Europe"), gettext_noop("Australia and New Zealand"),
    gettext_noop("Melanesia"), gettext_noop("Micronesia"), gettext_noop("Polynesia"),
    gettext_noop("Eastern Africa"), gettext_noop("Middle Africa"),
    gettext_noop("Southern Africa"), gettext_noop("Western Africa"), gettext_noop("Caribbean"),
    gettext_noop("Central America"), gettext_noop("South America"),
    gettext_noop("Channel Islands"),
]
