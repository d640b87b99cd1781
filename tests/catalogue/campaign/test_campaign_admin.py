"""The campaign in the back office: the monthly XLSX report, targets, the agency list import."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalogue.campaign.agencies import load_agencies
from catalogue.models import Agency, AgencyKind
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING
from tests.catalogue.campaign.factories import agency, purchase

pytestmark = pytest.mark.django_db


def signed_in(group: str) -> Client:
    client = Client()
    client.force_login(backoffice.staff(group))
    return client


def test_the_monthly_report_sums_paid_purchases_per_agency_and_regency():
    health = agency("Dinas Kesehatan Provinsi NTT")
    purchase(amount=100_000, agency_=health, buyer_name="Tidak Boleh Muncul")
    purchase(amount=50_000, agency_=health)
    purchase(amount=70_000, status="menunggu_pembayaran", agency_=health)  # unpaid: not in the report
    month = timezone.localdate().strftime("%Y-%m")
    response = signed_in(ADMIN_PMD).get(reverse("admin:catalogue_campaign_report") + f"?bulan={month}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="gerakan-{month}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    rows = [tuple(row) for row in book["Per instansi"].iter_rows(min_row=3, values_only=True)]
    assert rows == [("Dinas Kesehatan Provinsi NTT", 150_000, 2), ("Total", 150_000, 2)]
    cells = {cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "Tidak Boleh Muncul" not in cells


def test_a_bad_month_in_the_report_is_a_message_not_a_500():
    response = signed_in(ADMIN_PMD).get(reverse("admin:catalogue_campaign_report") + "?bulan=2026-13")
    assert response.status_code == 302


@pytest.mark.parametrize(("group", "status"), [(ADMIN_PMD, 200), (PENDAMPING, 200), (MITRA, 200)])
def test_who_may_download_the_report(group, status):
    assert signed_in(group).get(reverse("admin:catalogue_campaign_report")).status_code == status


def test_only_admin_pmd_sets_the_monthly_target():
    data = {"month": timezone.localdate().replace(day=1).isoformat(), "amount": "25000000"}
    url = reverse("admin:catalogue_campaigntarget_add")
    assert signed_in(PENDAMPING).post(url, data).status_code == 403
    assert signed_in(ADMIN_PMD).post(url, data).status_code == 302


def test_the_agency_list_holds_the_provincial_agencies_and_every_regency_government():
    regency = factories.regency()
    created = load_agencies()
    assert created == Agency.objects.count()
    assert Agency.objects.filter(kind=AgencyKind.PROVINCIAL).count() >= 30
    assert Agency.objects.filter(name=f"Pemerintah {regency.name}").exists()
    assert load_agencies() == 0  # idempotent


def test_the_dashboard_shows_the_campaign_card_with_paid_purchases_only():
    purchase(amount=150_000)
    purchase(amount=70_000, status="menunggu_pembayaran")
    page = signed_in(PENDAMPING).get(reverse("catalogue:dashboard")).content.decode()
    assert "Gerakan Beli Produk NTT bulan ini" in page
    assert 'data-figure="campaign-total">Rp150.000<' in page
    assert 'data-figure="campaign-count">1<' in page
