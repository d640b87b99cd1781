"""Addresses looked up once (catalogue/addresses.py): the same as reverse() in every language,
under every script prefix and URLconf."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix, set_urlconf
from django.utils import translation

from catalogue import addresses


def test_a_fixed_address_is_reverse_in_each_language_asked_in_turn():
    for language in ("id", "en", "id", "en"):
        with translation.override(language):
            assert addresses.fixed("catalogue:cart") == reverse("catalogue:cart")
            assert addresses.fixed("home") == reverse("home")
    with translation.override("en"):
        assert addresses.fixed("catalogue:cart").startswith("/en/")
    with translation.override("id"):
        assert not addresses.fixed("catalogue:cart").startswith("/en/")


def test_a_fixed_address_follows_the_script_prefix_of_a_site_under_a_sub_path():
    with translation.override("id"):
        plain = addresses.fixed("catalogue:product_list")
        set_script_prefix("/toko/")
        try:
            assert addresses.fixed("catalogue:product_list") == "/toko" + plain
        finally:
            clear_script_prefix()
        assert addresses.fixed("catalogue:product_list") == plain


def test_an_address_template_follows_the_language_and_the_urlconf():
    with translation.override("id"):
        product_url = addresses.url_template("catalogue:product", "slug")
        assert product_url("kopi-bajawa") == reverse("catalogue:product", kwargs={"slug": "kopi-bajawa"})
    with translation.override("en"):
        assert addresses.url_template("catalogue:product", "slug")("kopi-bajawa").startswith("/en/")
    set_urlconf("tests.catalogue.urls_elsewhere")
    try:
        with translation.override("id"):
            assert addresses.fixed("home") == "/di-tempat-lain/"
    finally:
        set_urlconf(None)


@pytest.mark.urls("tests.catalogue.urls_elsewhere")
def test_a_changed_urlconf_setting_forgets_what_was_looked_up():
    with translation.override("id"):
        assert addresses.fixed("home") == "/di-tempat-lain/"
    with override_settings(ROOT_URLCONF="ovop.urls"), translation.override("id"):
        assert addresses.fixed("home") == "/"
