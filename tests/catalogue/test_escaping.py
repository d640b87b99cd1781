"""catalogue/escaping.py: the same escaping as Django's, for markup built in Python loops."""

from django.utils.html import escape as django_escape
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from catalogue import escaping

TRICKY = ["Se'i Sapi", 'Kopi "Bajawa"', "<script>alert(1)</script>", "Tenun & Ikat", 25000]


def test_text_is_escaped_exactly_as_django_escapes_it():
    for value in TRICKY:
        assert escaping.escape(value) == django_escape(value)


def test_markup_already_marked_safe_is_left_as_it_is():
    assert escaping.escape(mark_safe(' lang="id"')) == ' lang="id"'


def test_a_lazy_translation_is_escaped_in_the_active_language():
    with override("id"):
        assert escaping.escape(gettext_lazy("Stok habis")) == "Stok habis"


def test_join_html_gives_what_format_html_join_gives():
    rows = [("/desa/53.09.01.2005/", value) for value in TRICKY]
    template = '<li><a href="{}">{}</a></li>'
    assert escaping.join_html(template, rows) == format_html_join("", template, rows)


def test_join_html_escapes_a_column_of_mixed_values_as_format_html_join_does():
    # A column may hold markup marked safe, a lazy translation and plain text side by side (the
    # filter form's options), and a text may hold the character that joins a column's texts.
    rows = [
        ("halal", mark_safe(" selected"), gettext_lazy("Semua")),
        ("a\x00<b>", "", "Tenun & Ikat"),
        *((str(index), "", value) for index, value in enumerate(TRICKY)),
    ]
    template = '<option value="{}"{}>{}</option>'
    with override("en"):
        assert escaping.join_html(template, rows) == format_html_join("", template, rows)
    assert escaping.join_html(template, []) == ""


def test_escape_each_escapes_every_text_and_leaves_safe_markup():
    values = [*TRICKY, mark_safe("<b>safe</b>"), "", "x\x00<y>"]
    assert escaping.escape_each(values) == [escaping.escape(value) for value in values]
    assert escaping.escape_each([]) == []
