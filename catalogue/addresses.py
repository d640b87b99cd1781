"""Addresses of many objects from one URL lookup: a page of hundreds of links (a regency's villages,
a grid's products) would otherwise pay a reverse() per link. And the addresses a page names without
arguments (the cart, the catalogue), looked up once per process: a reverse() costs some twenty
microseconds, and a product page asked for eight of them."""

from __future__ import annotations

from collections.abc import Callable

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

#: (name, argument, language, script prefix, URLconf) → the address, or its two sides around the
#: argument. Bounded: names and arguments are constants of the code, not visitors' input.
_remembered: dict[tuple, str | tuple[str, str]] = {}


def _key(name: str, kwarg: str) -> tuple:
    # What a reverse() depends on besides the name: the language (i18n_patterns' /en/ prefix), the
    # script prefix (a site under a sub-path) and the URLconf of this request.
    return (name, kwarg, get_language(), get_script_prefix(), get_urlconf())


def fixed(name: str) -> str:
    """reverse(name) for a URL without arguments, remembered per language, script prefix and URLconf."""
    key = _key(name, "")
    address = _remembered.get(key)
    if address is None:
        address = _remembered[key] = reverse(name)
    return address


def url_template(name: str, kwarg: str) -> Callable[[str], str]:
    """The address of `name` for any value of its one argument, from a single reverse(): the value
    is put where a placeholder went (values are codes and slugs, which need no quoting)."""
    key = _key(name, kwarg)
    sides = _remembered.get(key)
    if sides is None:
        placeholder = "0placeholder0"
        before, _, after = reverse(name, kwargs={kwarg: placeholder}).partition(placeholder)
        sides = _remembered[key] = (before, after)
    before, after = sides
    return lambda value: f"{before}{value}{after}"


def forget(**kwargs) -> None:
    """A change of settings (tests' override of ROOT_URLCONF, LANGUAGES…) forgets every address."""
    _remembered.clear()


setting_changed.connect(forget, dispatch_uid="catalogue.addresses.forget")
