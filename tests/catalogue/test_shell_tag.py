"""`{% per_language %}` (catalogue/templatetags/shell.py): the shell's fixed markup, rendered once per
process, language and script prefix, and never with a visitor's own values."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse, set_script_prefix
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


def test_an_address_without_arguments_is_the_one_url_gives_in_each_language_in_turn():
    # The cart badge and the language forms hold a visitor's values, so they sit outside
    # {% per_language %}; their addresses come from {% address %}, remembered per language.
    template = Template("{% load shell %}{% address 'catalogue:cart' %} {% url 'catalogue:cart' %}")
    for language in ("id", "en", "id"):
        with translation.override(language):
            ours, django = template.render(Context()).split()
            assert ours == django
    with translation.override("en"):
        assert template.render(Context()).split()[0].startswith("/en/")


def test_the_header_links_the_cart_and_the_language_form_in_the_pages_language(client):
    page = client.get("/en/produk/").content.decode()
    assert f'href="{reverse_in("en", "catalogue:cart")}"' in page
    assert f'<form method="post" action="{reverse_in("en", "set_language")}">' in page
    page = client.get("/produk/").content.decode()
    assert f'href="{reverse_in("id", "catalogue:cart")}"' in page


def reverse_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)
