"""/gerakan/: paid campaign purchases only, small agencies grouped, nobody's data shown."""

import datetime

import pytest
from django.utils import timezone

from catalogue.campaign import stats
from catalogue.models import CampaignTarget, PartStatus, Payment
from tests.catalogue.campaign.factories import agency, purchase

pytestmark = pytest.mark.django_db


def figures():
    return stats.month_figures(stats.month_start(timezone.localdate()))


def test_paid_and_completed_purchases_count():
    purchase(amount=100_000, status=PartStatus.PAID)
    purchase(amount=20_000, status=PartStatus.SHIPPED)
    purchase(amount=3_000, status=PartStatus.DONE, payment=Payment.COD)
    assert (figures().total, figures().count) == (123_000, 3)


@pytest.mark.parametrize(
    ("status", "payment"),
    [
        (PartStatus.AWAITING_PAYMENT, Payment.QRIS),
        (PartStatus.CANCELLED, Payment.QRIS),
        (PartStatus.READY, Payment.COD),  # cash is counted only once the part is completed
        (PartStatus.CANCELLED, Payment.COD),
    ],
)
def test_unpaid_and_cancelled_parts_never_count(status, payment):
    purchase(amount=50_000, status=status, payment=payment)
    assert (figures().total, figures().count) == (0, 0)


def test_a_personal_purchase_is_not_a_campaign_purchase():
    purchase(amount=50_000, kind=None)
    assert figures().count == 0


def test_an_agency_is_named_only_once_three_different_buyers_bought_for_it():
    big, small = agency("Dinas Kesehatan Provinsi NTT"), agency("Dinas Sosial Provinsi NTT")
    for _ in range(3):
        purchase(amount=10_000, agency_=big)
    purchase(amount=7_000, agency_=small, whatsapp="+6281211112222")
    purchase(amount=7_000, agency_=small, whatsapp="+6281211112222")  # the same buyer twice
    rows = {row.name: (row.amount, row.count) for row in figures().agencies}
    assert rows == {"Dinas Kesehatan Provinsi NTT": (30_000, 3), stats.OTHER_AGENCIES: (14_000, 2)}


def test_progress_against_the_months_target():
    CampaignTarget.objects.create(month=timezone.localdate(), amount=400_000)
    purchase(amount=100_000)
    assert figures().target == 400_000
    assert figures().percent_of_target == 25


def test_last_six_months_oldest_first():
    month = stats.month_start(timezone.localdate())
    old = purchase(amount=70_000)
    old.order.created_at = timezone.now() - datetime.timedelta(days=62)
    old.order.save()
    purchase(amount=30_000)
    history = stats.monthly_totals(month)
    assert len(history) == 6
    assert history[-1] == (month, 30_000)
    assert sum(total for _, total in history) == 100_000


def test_the_campaign_page_shows_the_figures_but_no_buyers_data(client):
    CampaignTarget.objects.create(month=timezone.localdate(), amount=1_000_000)
    for n in range(3):
        purchase(
            amount=120_000,
            buyer_name=f"Yohanes Sensitif {n}",
            nip=f"19800517200501100{n + 1}",
            agency_=agency("Badan Keuangan Daerah Provinsi NTT"),
        )
    response = client.get("/gerakan/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rp360.000" in page
    assert "Badan Keuangan Daerah Provinsi NTT" in page
    assert "36%" in page
    for secret in ("Yohanes", "Sensitif", "198005172005011001", "+62812"):
        assert secret not in page


def test_the_campaign_page_refreshes_when_a_payment_is_confirmed(client):
    part = purchase(amount=80_000, status=PartStatus.AWAITING_PAYMENT)
    assert "Rp80.000" not in client.get("/gerakan/").content.decode()
    part.status = PartStatus.PAID
    part.status_changed_at = timezone.now()
    part.save()
    assert "Rp80.000" in client.get("/gerakan/").content.decode()
