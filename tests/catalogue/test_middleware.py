"""catalogue/middleware.py: Django's CSRF secrets and masks drawn from one read of the random source."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.middleware import csrf
from django.test import Client
from django.urls import reverse

from catalogue.middleware import new_csrf_string
from tests import factories


def test_a_csrf_string_is_32_letters_and_digits_new_every_time():
    drawn = [new_csrf_string() for _ in range(2000)]
    assert all(len(text) == csrf.CSRF_SECRET_LENGTH for text in drawn)
    assert all(set(text) <= set(csrf.CSRF_ALLOWED_CHARS) for text in drawn)
    assert len(set(drawn)) == len(drawn)


def test_every_character_is_as_likely_as_another():
    counts = Counter("".join(new_csrf_string() for _ in range(4000)))  # 128,000 characters
    expected = 128_000 / len(csrf.CSRF_ALLOWED_CHARS)  # about 2,065 each
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    # Far outside chance (more than 8 standard deviations), and far inside the 3 to 1 of `byte % 62`
    # over all 256 byte values, which would favour the first eight characters.
    assert all(abs(count - expected) < 8 * expected**0.5 for count in counts.values())


@pytest.mark.django_db
def test_a_new_visitors_token_is_made_this_way_and_accepted_by_django():
    assert csrf._get_new_csrf_string is new_csrf_string  # installed by CatalogueConfig.ready()
    product = factories.product(stock=5)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(product.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page).group(1)
    secret = visitor.cookies["csrftoken"].value
    assert len(secret) == csrf.CSRF_SECRET_LENGTH and token[32:] != secret  # masked
    answer = visitor.post(
        reverse("catalogue:cart_add"), {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
    refused = Client(enforce_csrf_checks=True).post(
        reverse("catalogue:cart_add"), {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert refused.status_code == 403
