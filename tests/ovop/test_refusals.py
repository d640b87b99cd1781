"""A refused page (403) is Indonesian, offers a way back, and logs one line without a traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.catalogue import backoffice
from tests.catalogue.backoffice import MITRA

pytestmark = pytest.mark.django_db

ORDERS = "/admin/catalogue/order/"


def mitra_client() -> Client:
    client = Client()
    client.force_login(backoffice.staff(MITRA))
    return client


def test_a_partner_refused_in_the_admin_reads_indonesian_and_finds_the_way_back():
    response = mitra_client().get(ORDERS, HTTP_REFERER="http://testserver/admin/catalogue/product/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in html
    assert "Forbidden" not in html
    assert 'href="http://testserver/admin/catalogue/product/"' in html
    assert f'href="{reverse("admin:index")}"' in html


def test_the_way_back_never_leads_to_another_site():
    response = mitra_client().get(ORDERS, HTTP_REFERER="https://phishing.example/admin/")
    assert response.status_code == 403
    assert "phishing.example" not in response.content.decode()


def test_staff_without_the_dashboard_permission_are_refused_in_indonesian():
    client = Client()
    client.force_login(backoffice.staff(None))
    response = client.get(reverse("catalogue:dashboard"))
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


def test_a_refusal_is_logged_as_one_line_without_a_traceback(caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert mitra_client().get(ORDERS).status_code == 403
    refusals = [record for record in caplog.records if record.name == "django.request"]
    assert [record.getMessage() for record in refusals] == [f"Forbidden (Permission denied): {ORDERS}"]
    assert refusals[0].exc_info is None


def test_a_stale_form_is_refused_in_indonesian():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formulir ini sudah kedaluwarsa" in html
    assert "CSRF verification failed" not in html
