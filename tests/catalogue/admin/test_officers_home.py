"""The officers' home (the admin index): shortcuts and the "hari ini" panel, per role."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import OrderPart, PartStatus, Stage, StageKind, StageStatus
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db


def client_for(group: str) -> Client:
    client = Client()
    client.force_login(backoffice.staff(group))
    return client


@pytest.fixture
def urgent():
    """One of each thing that needs a nudge today, and one of each that does not."""
    now, today = timezone.now(), timezone.localdate()
    slow = factories.product(name="Madu Lambat", producer_=factories.producer(name="UMKM Lambat"))
    quick = factories.product(name="Kopi Cepat", producer_=factories.producer(name="UMKM Cepat"))
    late = backoffice.order([(slow, 1)], status=PartStatus.PAID)
    late.parts.update(status_changed_at=now - datetime.timedelta(hours=30))
    backoffice.order([(quick, 1)], status=PartStatus.PAID)  # paid an instant ago: not yet late
    backoffice.certificate(
        slow, "halal", "ID53110000123450224", expires_on=today + datetime.timedelta(days=30)
    )
    backoffice.certificate(
        quick,
        "pirt",
        "2105301001001" + str((today.year + 5) % 100),
        issued_on=today - datetime.timedelta(days=1),
    )
    overdue = Stage.objects.get(product=slow, kind=StageKind.PACKAGING)
    overdue.change_status(to=StageStatus.IN_PROGRESS, by=None)
    overdue.target_date = today - datetime.timedelta(days=3)
    overdue.save()
    finished = Stage.objects.get(product=quick, kind=StageKind.PACKAGING)
    finished.change_status(to=StageStatus.DONE, by=None)
    finished.target_date = today - datetime.timedelta(days=3)
    finished.save()
    return {"late": late.parts.get(), "overdue": overdue}


def test_admin_pmd_sees_shortcuts_and_everything_that_needs_a_nudge(urgent):
    html = client_for(ADMIN_PMD).get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("catalogue:dashboard")}"' in html
    assert f'href="{reverse("catalogue:label_index")}"' in html
    assert f'href="{reverse("admin:villages_village_import")}"' in html
    assert "1 bagian pesanan menunggu produsen lebih dari 24 jam" in html
    assert reverse("admin:catalogue_orderpart_change", args=[urgent["late"].pk]) in html
    assert "UMKM Cepat" not in html
    assert "1 izin/sertifikat habis dalam 90 hari" in html and "Madu Lambat · Halal" in html
    assert "1 tahap melewati target" in html
    assert reverse("admin:catalogue_stage_change", args=[urgent["overdue"].pk]) in html


def test_a_partner_sees_no_orders_and_no_import(urgent):
    html = client_for(MITRA).get(reverse("admin:index")).content.decode()
    assert "bagian pesanan menunggu" not in html
    assert reverse("admin:villages_village_import") not in html
    assert "1 izin/sertifikat habis dalam 90 hari" in html
    assert "1 tahap melewati target" in html


def test_the_overdue_link_lists_only_overdue_open_stages(urgent):
    response = client_for(PENDAMPING).get(reverse("admin:catalogue_stage_changelist"), {"terlambat": "ya"})
    assert list(response.context["cl"].queryset) == [urgent["overdue"]]


def test_the_label_index_links_every_product_to_its_sheet():
    product = factories.product(name="Tenun Ikat Sumba")
    html = client_for(MITRA).get(reverse("catalogue:label_index")).content.decode()
    assert "Tenun Ikat Sumba" in html
    assert f'href="{reverse("catalogue:label", kwargs={"slug": product.slug})}"' in html


def test_every_admin_page_has_the_site_icon():
    html = client_for(MITRA).get(reverse("admin:catalogue_product_changelist")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html


def test_nothing_urgent_says_so():
    html = client_for(ADMIN_PMD).get(reverse("admin:index")).content.decode()
    assert "Tidak ada yang mendesak" in html
    assert OrderPart.objects.count() == 0
