"""Numbers and dates on pages, as each language writes them."""

from django.template import Context, Template
from django.utils import translation

from ctip.statistics.disclosure import FREE, SECONDARY, SMALL, Shown


def render(source: str, **context: object) -> str:
    return Template("{% load ctip_tags %}" + source).render(Context(context))


def test_a_published_number_is_grouped_as_the_language_groups_it():
    shown = Shown(1234567, FREE, 5)
    written = {}
    for language in ("en", "fr", "es", "ru", "ar", "zh-hans"):
        with translation.override(language):
            written[language] = render("{{ n|figure }}", n=shown)
    assert written["en"] == "1,234,567"
    assert written["fr"] == "1\u202f234\u202f567" or written["fr"] == "1\xa0234\xa0567"
    assert written["es"] == "1\xa0234\xa0567"
    assert written["ru"] == "1\xa0234\xa0567"
    assert written["ar"] == written["zh-hans"] == "1,234,567"


def test_a_hidden_value_or_a_word_is_left_as_it_is():
    assert render("{{ n|figure }}", n=Shown(None, SMALL, 5)) == "&lt;5"
    assert render("{{ n|figure }}", n=Shown(None, SECONDARY, 5)) == "C"
    assert render("{{ n|figure }}", n="—") == "—"
    assert render("{{ n|figure }}", n=None) == ""


def test_a_date_in_a_translated_sentence_keeps_its_direction():
    import datetime

    with translation.override("ar"):
        out = render(
            '{% load i18n %}{% blocktranslate with d=day|date:"SHORT_DATE_FORMAT"|bdi %}'
            "Treaties as of {{ d }}{% endblocktranslate %}",
            day=datetime.date(2026, 6, 30),
        )
    assert "<bdi>" in out and "</bdi>" in out
    assert "&lt;bdi&gt;" not in out
