"""Curation "Bintang OVOP NTT": the rubric, the stars, 36 months of validity, the admin per role,
the product page, the catalogue filter, the /bintang/ page and the expiry reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.backoffice.curation import remind_expiring
from catalogue.models import Criterion, Curation, CurationScore, RubricGroup
from catalogue.models.curation import add_months, group_maximum, stars_for
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("total", "stars"),
    [(100, 5), (90, 5), (89, 4), (70, 4), (69, 3), (50, 3), (49, 2), (30, 2), (29, 1), (0, 1)],
)
def test_the_total_gives_the_stars(total, stars):
    assert stars_for(total) == stars


def test_the_rubric_weighs_community_40_marketing_25_quality_35():
    assert [group_maximum(group) for group in RubricGroup.values] == [40, 25, 35]


def test_a_curation_is_valid_36_months():
    curation = Curation.objects.create(product=factories.product(), assessed_on=datetime.date(2026, 11, 29))
    assert curation.valid_until == datetime.date(2029, 11, 28)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


def curated(product, total: int, *, assessed_on: datetime.date | None = None) -> Curation:
    """A curation whose criteria add up to `total` (filled in rubric order up to each maximum)."""
    curation = Curation.objects.create(product=product, assessed_on=assessed_on or timezone.localdate())
    left = total
    for criterion in Criterion:
        points = min(left, criterion.maximum)
        CurationScore.objects.create(curation=curation, criterion=criterion, points=points)
        left -= points
    curation.recount()
    return curation


def client_for(group: str) -> Client:
    client = Client()
    client.force_login(backoffice.staff(group))
    return client


def test_a_field_officer_scores_a_product_and_the_stars_are_counted():
    product = factories.product(name="Kopi Arabika Colol")
    client = client_for(PENDAMPING)
    add = reverse("admin:catalogue_curation_add")
    html = client.get(add).content.decode()
    data = backoffice.form_data(html, "curation_form")
    assert [data[f"scores-{i}-criterion"] for i in range(10)] == Criterion.values
    data.update({"product": str(product.pk), "assessed_on": "29-11-2026"})
    for i, criterion in enumerate(Criterion):
        data[f"scores-{i}-points"] = str(criterion.maximum - 2)  # 100 - 20 = 80
        data[f"scores-{i}-note"] = "Dilihat langsung di rumah produksi."
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    curation = Curation.objects.get(product=product)
    assert (curation.total, curation.stars, curation.scores.count()) == (80, 4, 10)
    assert curation.assessed_by.groups.filter(name=PENDAMPING).exists()


def test_points_above_a_criterions_maximum_are_refused_and_nothing_is_saved():
    product = factories.product()
    client = client_for(PENDAMPING)
    add = reverse("admin:catalogue_curation_add")
    data = backoffice.form_data(client.get(add).content.decode(), "curation_form")
    data.update({"product": str(product.pk), "assessed_on": "29-11-2026", "scores-5-points": "9"})  # max 8
    response = client.post(add, data)
    assert response.status_code == 200
    assert "Nilai paling tinggi untuk kriteria ini 8." in response.content.decode()
    assert not Curation.objects.exists()


def test_a_partner_reads_curations_but_cannot_score():
    curated(factories.product(), 75)
    client = client_for(MITRA)
    assert client.get(reverse("admin:catalogue_curation_changelist")).status_code == 200
    assert client.get(reverse("admin:catalogue_curation_add")).status_code == 403


def test_admin_pmd_may_delete_a_curation():
    curation = curated(factories.product(), 75)
    response = client_for(ADMIN_PMD).get(reverse("admin:catalogue_curation_delete", args=[curation.pk]))
    assert response.status_code == 200


def test_the_product_page_shows_the_stars_with_their_date_and_a_link_to_their_meaning():
    product = factories.product()
    curated(product, 72, assessed_on=datetime.date(2026, 11, 29))
    html = Client().get(product.get_absolute_url()).content.decode()
    assert "Bintang OVOP NTT: 4 bintang" in html
    assert "dinilai 29 Nov 2026" in html
    assert f'href="{reverse("catalogue:stars")}"' in html


def test_an_expired_curation_shows_no_stars():
    product = factories.product()
    curated(product, 95, assessed_on=timezone.localdate() - datetime.timedelta(days=4 * 365))
    assert "Bintang OVOP NTT" not in Client().get(product.get_absolute_url()).content.decode()


def test_the_catalogue_filters_by_a_minimum_of_stars_from_the_latest_valid_curation():
    three, four, two, none = (factories.product(name=name) for name in ("Tiga", "Empat", "Dua", "Tanpa"))
    curated(three, 55)
    curated(four, 75)
    curated(two, 90, assessed_on=timezone.localdate() - datetime.timedelta(days=400))
    curated(two, 40)  # the newer assessment counts
    response = Client().get(reverse("catalogue:product_list"), {"bintang": "3"})
    names = {product.name for product in response.context["page"].object_list}
    assert names == {"Tiga", "Empat"}
    assert none.name not in names


def test_an_unknown_star_filter_is_ignored_with_a_message():
    factories.product(name="Apa Saja")
    response = Client().get(reverse("catalogue:product_list"), {"bintang": "9"})
    assert response.status_code == 200
    assert "Bintang “9” tidak dikenal" in response.content.decode()


def test_the_stars_page_explains_the_bands_and_the_rubric():
    html = Client().get(reverse("catalogue:stars")).content.decode()
    assert "90–100" in html and "di bawah 30" in html
    assert "Komunitas dan produksi (40 nilai)" in html
    assert "Mutu (35 nilai)" in html


def test_officers_are_reminded_once_before_a_curation_expires():
    today = timezone.localdate()
    officer = backoffice.staff(PENDAMPING)
    officer.email = "pendamping@pmd.nttprov.go.id"
    officer.save()
    partner = backoffice.staff(MITRA)
    partner.email = "mitra@example.com"
    partner.save()
    soon = curated(factories.product(name="Madu Hutan Timor"), 80)
    Curation.objects.filter(pk=soon.pk).update(valid_until=today + datetime.timedelta(days=30))
    later = curated(factories.product(name="Garam Oebelo"), 80)
    Curation.objects.filter(pk=later.pk).update(valid_until=today + datetime.timedelta(days=31))
    assert remind_expiring(today=today) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pendamping@pmd.nttprov.go.id"]
    assert "Madu Hutan Timor" in message.body and "Garam Oebelo" not in message.body
    assert remind_expiring(today=today) == 0  # the scheduler running twice sends nothing more
    assert len(mail.outbox) == 1
