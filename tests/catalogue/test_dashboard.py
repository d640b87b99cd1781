"""The programme dashboard: its figures on known data, filters and period, htmx, exports, access."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import charts, reports
from catalogue.models import PartStatus, Stage, StageKind, StageStatus
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
MARCH = {"dari": "2026-03-01", "sampai": "2026-03-31"}


def at(day: int, hour: int, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 30, tzinfo=WITA)


@pytest.fixture
def programme():
    """Three products in two regencies: one finished, one in progress, one waiting; orders in and out
    of March 2026 (WITA); certificates expiring soon, later and already."""
    kupang = factories.village("53.01.04.2003", "Bokonusan")
    ngada = factories.village("53.09.01.2001", "Beiposo")
    tenun = factories.category("Tenun")
    finished = factories.product(
        name="Garam Bokonusan", price=25000, producer_=factories.producer("UMKM Garam", kupang)
    )
    started = factories.product(
        name="Rumput Laut", price=25000, producer_=factories.producer("UMKM Laut", kupang)
    )
    waiting = factories.product(
        name="Kopi Beiposo", price=40000, category=tenun, producer_=factories.producer("UMKM Kopi", ngada)
    )
    Stage.objects.filter(product=finished).change_status(to=StageStatus.DONE, by=None)
    Stage.objects.filter(product=started, kind__in=[StageKind.MAPPING, StageKind.SATELLITES]).change_status(
        to=StageStatus.DONE, by=None
    )
    Stage.objects.filter(product=started, kind=StageKind.BUYERS).change_status(
        to=StageStatus.IN_PROGRESS, by=None
    )

    today = datetime.date.today()
    backoffice.certificate(
        finished,
        "bpom_md",
        "MD224510107115",
        issued_on=today - datetime.timedelta(days=1000),
        expires_on=today + datetime.timedelta(days=30),
    )
    backoffice.certificate(
        started,
        "bpom_md",
        "MD224510107116",
        issued_on=today - datetime.timedelta(days=1000),
        expires_on=today + datetime.timedelta(days=100),
    )
    backoffice.certificate(
        waiting,
        "halal",
        "ID53110000123450224",
        issued_on=today - datetime.timedelta(days=1000),
        expires_on=today - datetime.timedelta(days=1),
    )

    backoffice.order([(finished, 2), (waiting, 1)], created_at=at(1, 0))  # 1 March 00:30 WITA
    backoffice.order([(started, 3)], created_at=at(31, 23))  # 31 March 23:30 WITA: in
    backoffice.order([(finished, 1)], created_at=at(10, 9), status=PartStatus.CANCELLED)
    backoffice.order([(finished, 4)], created_at=at(1, 0, month=4))  # 1 April 00:30 WITA = 31 March UTC
    backoffice.order([(finished, 5)], created_at=at(28, 23, month=2))  # February
    return {"finished": finished, "started": started, "waiting": waiting, "ngada": ngada, "tenun": tenun}


def staff_client(group: str | None = backoffice.MITRA) -> Client:
    client = Client()
    client.force_login(backoffice.staff(group))
    return client


def test_pipeline_figures_on_known_data(programme):
    response = staff_client().get(reverse("catalogue:dashboard"), MARCH)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.finished, summary.in_progress, summary.waiting) == (1, 1, 1)
    assert (summary.done, summary.applicable, summary.percent) == (16, 42, 38)
    mapping = summary.stages[0]
    assert (mapping.kind, mapping.done, mapping.applicable, mapping.percent) == ("pemetaan", 2, 3, 67)
    assert summary.stages[3].percent == 33
    html = response.content.decode()
    assert 'data-figure="finished">1<' in html and 'data-figure="overall">38%<' in html
    row = next(r for r in summary.rows if r.product == programme["started"])
    assert row.statuses[:4] == ["selesai", "selesai", "berjalan", "belum"]
    assert html.count('class="cell st-selesai"') == 16
    assert html.count('class="cell st-berjalan"') == 1


def test_sales_per_regency_and_producer_in_the_wita_period(programme):
    response = staff_client().get(reverse("catalogue:dashboard"), MARCH)
    by_regency = {row.name: (row.orders, row.total) for row in response.context["sales_by_regency"]}
    kupang = programme["finished"].producer.village.district.regency.name
    ngada = programme["ngada"].district.regency.name
    assert by_regency == {kupang: (2, 2 * 25000 + 3 * 25000), ngada: (1, 40000)}
    by_producer = {row.name: (row.orders, row.total) for row in response.context["sales_by_producer"]}
    assert by_producer == {"UMKM Garam": (1, 50000), "UMKM Laut": (1, 75000), "UMKM Kopi": (1, 40000)}
    assert (response.context["sales_orders"], response.context["sales_total"]) == (3, 165000)
    html = response.content.decode()
    assert "Rp125.000" in html and "Rp165.000" in html


def test_filters_narrow_every_section(programme):
    client = staff_client()
    ngada = programme["ngada"].district.regency
    response = client.get(reverse("catalogue:dashboard"), {**MARCH, "kabupaten": ngada.slug})
    assert [row.product for row in response.context["summary"].rows] == [programme["waiting"]]
    assert [row.name for row in response.context["sales_by_regency"]] == [ngada.name]
    response = client.get(reverse("catalogue:dashboard"), {**MARCH, "kategori": "kopi"})
    assert {row.product.name for row in response.context["summary"].rows} == {
        "Garam Bokonusan",
        "Rumput Laut",
    }
    assert response.context["sales_total"] == 125000


def test_certificates_expiring_within_90_days_are_listed(programme):
    response = staff_client().get(reverse("catalogue:dashboard"))
    assert [c.number for c in response.context["expiring"]] == ["MD224510107115"]
    assert "BPOM RI MD 224510107115" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dari": "2026-02-30"}, "harus berbentuk TTTT-BB-HH"),
        ({"sampai": "31/03/2026"}, "harus berbentuk TTTT-BB-HH"),
        ({"dari": "2026-04-01", "sampai": "2026-03-01"}, "tidak boleh sebelum"),
        ({"kabupaten": "atlantis"}, "tidak dikenal"),
    ],
)
def test_bad_parameters_give_a_message_and_the_default_period(programme, params, message):
    response = staff_client().get(reverse("catalogue:dashboard"), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    if "dari" in params or "sampai" in params:
        assert response.context["period"] == reports.Period.default()
    assert len(response.context["summary"].rows) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"sampai": "9999-12-31"},
        {"dari": "0001-01-01"},
        {"dari": "9999-12-31", "sampai": "0001-01-01"},
        {"dari": "0001-01-01", "sampai": "9999-12-31"},
        {"dari": "9999-12-31"},
        {"sampai": "0001-01-01"},
        {"dari": "1999-12-31", "sampai": "2026-03-31"},
        {"dari": "2026-03-01", "sampai": "2101-01-01"},
        {"dari": "99999-01-01"},
        {"sampai": "2026-03-01T00:00"},
        {"dari": "kemarin", "sampai": "besok"},
        {"dari": "-2026-03-01"},
        {"dari": "2026-03-01\x00"},
        {"dari": "9" * 5000},
        {"sampai": "２０２６-０３-０１"},
    ],
)
def test_absurd_dates_answer_the_default_period_with_a_message_never_a_500(programme, params):
    response = staff_client().get(reverse("catalogue:dashboard"), params)
    assert response.status_code == 200
    assert response.context["period"] == reports.Period.default()
    assert response.context["filters"].notices, "the page must say the date was ignored"


def test_a_date_outside_the_calendar_names_the_range_it_accepts(programme):
    response = staff_client().get(reverse("catalogue:dashboard"), {"sampai": "9999-12-31"})
    assert "9999-12-31 di luar 2000-01-01 sampai 2100-12-31" in response.content.decode()


def test_htmx_gets_only_the_results_and_the_address_to_push(programme):
    response = staff_client().get(
        reverse("catalogue:dashboard"), {**MARCH, "kategori": "tenun"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="dasbor-hasil"')
    assert response["HX-Push-Url"] == "/dasbor/?kategori=tenun&dari=2026-03-01&sampai=2026-03-31"
    assert response["Vary"].count("HX-Request") == 1


def test_the_page_form_has_real_urls_and_no_inline_styles(programme):
    html = staff_client().get(reverse("catalogue:dashboard")).content.decode()
    assert 'action="/dasbor/"' in html and 'hx-get="/dasbor/"' in html
    assert not re.search(r"\sstyle=", html)
    assert '<svg class="chart"' in html


def test_no_buyer_data_on_the_dashboard(programme):
    html = staff_client().get(reverse("catalogue:dashboard"), MARCH).content.decode()
    assert "Maria" not in html and "6281299990000" not in html and "example.com" not in html


def test_query_count_does_not_grow_with_products(programme):
    client = staff_client()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("catalogue:dashboard"), MARCH).status_code == 200
        return len(queries)

    few = count()
    for _ in range(12):
        product = factories.product()
        backoffice.order([(product, 1)], created_at=at(15, 10))
    assert count() == few


def test_access_is_for_staff_who_may_view_products(programme):
    address = reverse("catalogue:dashboard")
    assert Client().get(address).status_code == 302
    assert staff_client(None).get(address).status_code == 403
    for group in backoffice.GROUPS:
        assert staff_client(group).get(address).status_code == 200


def test_matrix_export_csv_follows_the_filters_and_is_escaped(programme):
    factories.product(name="=cmd|'/C calc'!A0", producer_=programme["waiting"].producer)
    ngada = programme["ngada"].district.regency.slug
    response = staff_client().get(reverse("catalogue:dashboard_export", args=["csv"]), {"kabupaten": ngada})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="matriks-pendampingan-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = [row[1] for row in rows[1:]]
    assert sorted(names) == ["'=cmd|'/C calc'!A0", "Kopi Beiposo"]


def test_matrix_export_xlsx_and_unknown_formats(programme):
    import openpyxl

    client = staff_client()
    response = client.get(reverse("catalogue:dashboard_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4
    assert client.get(reverse("catalogue:dashboard_export", args=["pdf"])).status_code == 404
    assert staff_client(None).get(reverse("catalogue:dashboard_export", args=["csv"])).status_code == 403


# --- charts ---------------------------------------------------------------------------------------


def test_bar_lengths_are_proportional_to_values():
    bars = [charts.Bar("a", 50, ""), charts.Bar("b", 100, ""), charts.Bar("c", 0, "")]
    assert charts.bar_lengths(bars) == [charts.BAR_AREA / 2, charts.BAR_AREA, 0]
    assert charts.bar_lengths(bars, maximum=200) == [charts.BAR_AREA / 4, charts.BAR_AREA / 2, 0]
    assert charts.bar_lengths([]) == []


def test_chart_labels_are_escaped_and_the_svg_has_no_style_attribute():
    svg = charts.bar_chart([charts.Bar("<script>alert(1)</script>", 10, "Rp10")], title="Uji & coba")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Uji &amp; coba" in svg
    assert "style=" not in svg


def test_sales_count_paid_and_completed_parts_and_show_unpaid_ones_apart(programme):
    finished, started = programme["finished"], programme["started"]
    backoffice.order([(finished, 2)], created_at=at(12, 9), status=PartStatus.AWAITING_PAYMENT)
    cash = backoffice.order([(started, 1)], created_at=at(13, 9), status=PartStatus.AWAITING_PAYMENT)
    cash.parts.update(status=PartStatus.SHIPPED)  # cash on delivery, on its way, not paid yet
    backoffice.order([(started, 2)], created_at=at(14, 9), status=PartStatus.DONE)
    response = staff_client().get(reverse("catalogue:dashboard"), MARCH)
    assert response.context["sales_total"] == 165000 + 2 * 25000  # the completed one counts
    unpaid = response.context["unpaid"]
    assert (unpaid.parts, unpaid.total) == (2, 2 * 25000 + 25000)
    html = response.content.decode()
    assert 'data-figure="unpaid">Rp75.000<' in html
    assert "2 bagian pesanan" in html


def test_dates_read_the_same_everywhere_in_wita(programme):
    html = staff_client().get(reverse("catalogue:dashboard"), MARCH).content.decode()
    assert "Periode 1 Mar 2026 – 31 Mar 2026 (WITA)" in html
    admin = Client()
    admin.force_login(backoffice.staff(superuser=True))
    orders = admin.get(reverse("admin:catalogue_order_changelist")).content.decode()
    assert "31 Mar 2026 23.30" in orders  # 15.30 UTC, shown in WITA
    assert "31-03-2026" not in orders and "Mar. 2026" not in orders
