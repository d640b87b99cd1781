"""`{% per_language %}` (catalogue/templatetags/shell.py): the shell's fixed markup, rendered once per
process, language and script prefix, and never with a visitor's own values."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import set_script_prefix
from django.utils import translation

from catalogue.templatetags.shell import PerLanguageNode

pytestmark = pytest.mark.django_db


def per_language(markup: str) -> Template:
    return Template("{% load shell %}{% per_language %}" + markup + "{% endper_language %}")


def counting(template: Template) -> list[int]:
    """How many times the node renders its markup (not how many times it is shown)."""
    [node] = template.nodelist.get_nodes_by_type(PerLanguageNode)
    renders = [0]
    render = node.nodelist.render

    def counted(context):
        renders[0] += 1
        return render(context)

    node.nodelist.render = counted
    return renders


def test_the_markup_is_rendered_once_per_language_and_shown_every_time():
    template = per_language('<a href="{% url "catalogue:product_list" %}">{% translate "Semua produk" %}</a>')
    renders = counting(template)
    with translation.override("id"):
        first = template.render(Context())
        assert template.render(Context()) == first == '<a href="/produk/">Semua produk</a>'
    with translation.override("en"):
        assert template.render(Context()) == '<a href="/en/produk/">All products</a>'
        template.render(Context())
    assert renders == [2]


def test_a_visitors_own_values_never_reach_the_kept_markup():
    template = per_language("[{{ request.path }}{{ user }}{{ csp_nonce }}]")
    assert template.render(Context({"user": "ani", "csp_nonce": "n0nce"})) == "[]"
    assert template.render(Context({"user": "budi"})) == "[]"


def test_the_script_prefix_is_part_of_the_key():
    template = per_language('{% url "catalogue:product_list" %}')
    with translation.override("id"):
        assert template.render(Context()) == "/produk/"
        set_script_prefix("/ovop/")
        try:
            assert template.render(Context()) == "/ovop/produk/"
        finally:
            set_script_prefix("/")


def test_a_change_of_settings_forgets_the_kept_markup():
    template = per_language('{% static "css/site.css" %}')
    with override_settings(
        STORAGES={"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        STATIC_URL="/static/",
    ):
        assert template.render(Context()) == "/static/css/site.css"
        with override_settings(STATIC_URL="/aset/"):
            assert template.render(Context()) == "/aset/css/site.css"


def test_every_page_still_shows_its_shell_in_its_language(client):
    indonesian = client.get("/keranjang/").content.decode()
    english = client.get("/en/keranjang/").content.decode()
    assert "Langsung ke isi" in indonesian and 'href="/produk/">Produk</a>' in indonesian
    assert "Skip to content" in english and 'href="/en/produk/">Products</a>' in english
    assert "/static/css/site" in english and 'rel="manifest" href="/manifest.webmanifest"' in indonesian
