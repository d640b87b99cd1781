"""The pipeline's figures counted by the database (reports.progress, the about page) agree with the
matrix's (reports.pipeline, the dashboard), whatever state the products are in."""

from __future__ import annotations

import pytest

from catalogue import reports
from catalogue.models import Product, Stage, StageKind, StageStatus
from tests import factories

pytestmark = pytest.mark.django_db

KINDS = StageKind.values


def move(product: Product, kinds: list[str], to: str) -> None:
    Stage.objects.filter(product=product, kind__in=kinds).change_status(to=to, by=None)


@pytest.fixture
def products_in_every_state():
    finished = factories.product(name="Garam")
    move(finished, KINDS, StageStatus.DONE)
    finished_where_it_applies = factories.product(name="Madu")
    move(finished_where_it_applies, KINDS[:5], StageStatus.DONE)
    move(finished_where_it_applies, KINDS[5:], StageStatus.NOT_APPLICABLE)
    under_way = factories.product(name="Kopi")
    move(under_way, KINDS[:2], StageStatus.DONE)
    move(under_way, KINDS[2:3], StageStatus.IN_PROGRESS)
    submitted_only = factories.product(name="Tenun")
    move(submitted_only, KINDS[:1], StageStatus.SUBMITTED)
    factories.product(name="Jagung")  # every stage not started: waiting
    nothing_applies = factories.product(name="Sirih")  # waiting, and not finished: nothing to finish
    move(nothing_applies, KINDS, StageStatus.NOT_APPLICABLE)
    without_stages = factories.product(name="Pinang")  # made before the pipeline existed: waiting
    Stage.objects.filter(product=without_stages).delete()
    factories.product(name="Sopi", is_published=False)
    return finished


def figures(summary) -> tuple:
    return (
        summary.finished,
        summary.in_progress,
        summary.waiting,
        summary.done,
        summary.applicable,
        summary.percent,
        [(stage.kind, stage.done, stage.applicable, stage.percent) for stage in summary.stages],
    )


def test_the_counted_figures_are_the_matrix_figures(products_in_every_state):
    everything = Product.objects.all()
    counted, from_matrix = reports.progress(everything), reports.pipeline(everything)
    assert figures(counted) == figures(from_matrix)
    assert (counted.finished, counted.in_progress, counted.waiting) == (2, 2, 4)


def test_the_counted_figures_follow_the_products_asked_for(products_in_every_state):
    one = Product.objects.filter(pk=products_in_every_state.pk)
    counted = reports.progress(one)
    assert figures(counted) == figures(reports.pipeline(one))
    assert (counted.finished, counted.waiting, counted.percent) == (1, 0, 100)


def test_no_products_count_nothing():
    counted = reports.progress(Product.objects.none())
    assert (counted.finished, counted.in_progress, counted.waiting, counted.percent) == (0, 0, 0, 0)
    assert [stage.kind for stage in counted.stages] == KINDS


def test_the_counted_figures_cost_three_queries_whatever_the_number_of_products(
    products_in_every_state, django_assert_num_queries
):
    with django_assert_num_queries(3):
        reports.progress(Product.objects.all())
