"""Addresses of many objects from one URL lookup: a page of hundreds of links (a regency's villages,
a grid's products) would otherwise pay a reverse() per link."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse


def url_template(name: str, kwarg: str) -> Callable[[str], str]:
    """The address of `name` for any value of its one argument, from a single reverse(): the value
    is put where a placeholder went (values are codes and slugs, which need no quoting)."""
    placeholder = "0placeholder0"
    before, _, after = reverse(name, kwargs={kwarg: placeholder}).partition(placeholder)
    return lambda value: f"{before}{value}{after}"
