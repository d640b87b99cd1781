"""Every admin page speaks Indonesian: lists, add, change, delete, history, import, export and the
action confirmation pages, opened by each role, and the dashboard. A page fails when its visible text
(text nodes, button values, titles, placeholders) holds an English interface string from ENGLISH.

ENGLISH is maintained by hand: add a string whenever an English phrase is found on the Indonesian
admin. Words are matched whole and case-sensitively (so "Ekspor" passes, "Export" and "EXPORT" fail).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from catalogue.models import Curation, Stage, StageKind, StageStatus
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING
from villages.models import SelectionWeights

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Select an option",
    "Filter by",
    "Filter",
    "By ",
    "Select all",
    "SUBMIT",
    "Submit",
    "EXPORT",
    "Export",
    "IMPORT",
    "Import",
    "This exporter will export the following fields",
    "This importer will import the following fields",
    "File to import",
    "Resource",
    "Producer",
    "producer",
    "Stock returned",
    "stock returned",
    "Home",
    "Log out",
    "Logout",
    "Save",
    "Delete",
    "History",
    "Change",
    "Search",
    "Action",
    "Go",
    "selected",
    "Are you sure",
    "Yes, I’m sure",
    "No, take me back",
    "Show all",
    "Clear all filters",
    "Add ",
    "View site",
    "Welcome",
    "Documentation",
    "Recent actions",
    "My actions",
    "None available",
    "Today",
    "Now",
    "Date",
    "Time",
    "Preview",
    "Confirm import",
    "Errors",
    "Product",
    "product",
    "Village",
    "village",
    "District",
    "district",
    "Regency",
    "regency",
    "Province",
    "province",
    "Order",
    "order",
    "part",
    "Stage",
    "stage",
    "Certificate",
    "Yes",
    "Unknown",
    "All",
    "Any date",
    "Past 7 days",
    "This month",
    "This year",
    "Has date",
    "No date",
    "Currently",
    "Clear",
    "Choose",
    "Remove",
    "Sort",
    "Toggle",
    "Skip to main content",
    "Breadcrumbs",
    "Dashboard",
    "Forbidden",
    "Permission denied",
]

_ENGLISH = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s.strip()) for s in ENGLISH) + r")(?![\w-])")


class _VisibleText(HTMLParser):
    """What an officer reads: text outside <script>/<style>, and button values, titles, placeholders."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        attrs = dict(attrs)
        for name in ("title", "placeholder", "aria-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"}:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


PROPER_NAMES = re.compile(r"One Village One Product")


def english_on(html: str) -> list[str]:
    reader = _VisibleText()
    reader.feed(html)
    found = []
    for text in (PROPER_NAMES.sub("", part) for part in reader.parts):
        found += [f"{m.group(0)!r} in {text[:80]!r}" for m in _ENGLISH.finditer(text)]
    return found


def make_one_of_everything() -> None:
    product = factories.product()
    Stage.objects.get(product=product, kind=StageKind.MAPPING).change_status(to=StageStatus.DONE, by=None)
    backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=timezone.localdate())
    backoffice.order([(product, 1)])
    Curation.objects.create(product=product)
    factories.candidate()
    SelectionWeights.current()


def _url(model, view: str, *args) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def admin_pages(model, model_admin) -> list[tuple[str, str, dict | None]]:
    """(what, url, post data or None) for every page of one registered model."""
    obj = model._default_manager.order_by("pk").first()
    pages = [("daftar", _url(model, "changelist"), None), ("tambah", _url(model, "add"), None)]
    if obj is not None:
        pages += [
            ("ubah", _url(model, "change", obj.pk), None),
            ("hapus", _url(model, "delete", obj.pk), None),
            ("riwayat", _url(model, "history", obj.pk), None),
        ]
    pages += [("ekspor", _url(model, "export"), None), ("impor", _url(model, "import"), None)]
    if obj is not None:
        for action in model_admin.get_actions(_superuser_request()):
            pages.append(
                (
                    f"aksi {action}",
                    _url(model, "changelist"),
                    {"action": action, helpers.ACTION_CHECKBOX_NAME: [obj.pk], "index": 0},
                )
            )
    return [page for page in pages if page[1] is not None]


def _superuser_request():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.user.is_superuser = True  # only the list of actions is read
    request.user.has_perm = lambda *args, **kwargs: True
    return request


ROLES = [None, ADMIN_PMD, PENDAMPING, MITRA]


@pytest.mark.parametrize("role", ROLES, ids=["superuser", "admin-pmd", "pendamping", "mitra"])
def test_every_admin_page_speaks_indonesian(role):
    make_one_of_everything()
    client = Client()
    client.force_login(backoffice.staff(role, superuser=role is None))
    problems = []
    pages = [("beranda", reverse("admin:index"), None), ("dasbor", reverse("catalogue:dashboard"), None)]
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        pages += [
            (f"{model._meta.label} {what}", url, data) for what, url, data in admin_pages(model, model_admin)
        ]
    for what, url, data in pages:
        # An action's result is read on the list it redirects to (its message); a refusal on the 403 page.
        response = client.post(url, data, follow=True) if data else client.get(url)
        assert response.status_code in {200, 403}, f"{what} ({url}) answered {response.status_code}"
        problems += [f"{what} ({url}): {hit}" for hit in english_on(response.content.decode())]
    assert problems == []


def test_the_admin_calendar_and_clock_speak_indonesian(admin_client):
    catalog = admin_client.get(reverse("admin:jsi18n")).content.decode()
    assert "Hari ini (%(date)s)" in catalog


def test_the_date_drill_down_says_saring_menurut(admin_client):
    make_one_of_everything()
    html = admin_client.get(reverse("admin:catalogue_order_changelist")).content.decode()
    assert "Saring menurut dibuat" in html
    assert "Filter by" not in html
