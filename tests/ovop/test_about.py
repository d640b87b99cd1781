"""`/tentang/`: what OVOP NTT is and the programme's progress, in aggregate only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Stage, StageStatus
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    done = factories.product(
        name="Tenun Ikat", producer_=factories.producer(contact_person="Mama Yuliana Rihi")
    )
    factories.product(name="Kopi", is_published=False)
    Stage.objects.filter(product=done).change_status(to=StageStatus.DONE, by=None)
    backoffice.certificate(done, "halal", "ID53110000123450224", issued_on=timezone.localdate())
    backoffice.certificate(done, "bpom_md", "MD224510107115", issued_on=timezone.localdate(), verified=False)
    village = done.producer.village
    village.is_ovop_locus = True
    village.save()
    backoffice.order([(done, 1)])
    return done


def test_about_explains_ovop_and_shows_aggregate_progress(client, programme):
    response = client.get(reverse("about"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "One Village One Product" in html
    assert 'data-figure="published">1<' in html
    assert 'data-figure="producers">2<' in html
    assert 'data-figure="villages">1<' in html
    assert 'data-figure="finished">1<' in html and 'data-figure="waiting">1<' in html
    assert 'data-figure="overall">50%<' in html
    assert 'data-figure="halal">1<' in html and 'data-figure="bpom">0<' in html  # unverified not counted
    assert '<svg class="chart chart-stacked"' in html


def test_about_shows_no_personal_data(client, programme):
    html = client.get(reverse("about")).content.decode()
    for private in [
        "Mama Yuliana",
        programme.producer.whatsapp,
        "Maria Pembeli",
        "example.com",
        "6281299990000",
    ]:
        assert private not in html


def test_about_is_also_in_english_and_cheap(client, programme, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert client.get("/en/tentang/").status_code == 200


def test_about_is_kept_for_the_next_visitor_and_shows_a_change_at_once(
    client, programme, django_assert_num_queries
):
    first = client.get(reverse("about")).content.decode()
    assert 'data-figure="published">1<' in first
    with django_assert_num_queries(0):  # the next visitor's page comes from the cache
        assert client.get(reverse("about")).status_code == 200
    factories.product(name="Madu Hutan")  # a new published product: a new catalogue version
    assert 'data-figure="published">2<' in client.get(reverse("about")).content.decode()
