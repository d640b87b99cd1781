"""The permission matrix: every admin URL of every registered model, for every staff group.

For each group the table below says what its members may do with each model. A member must get a
403 for anything not granted, and exactly what a superuser gets (the most the admin allows anyone,
e.g. nobody adds an order by hand) for anything granted. A model registered in the admin but missing
from the table fails the test: every new model needs a decision about who may see it.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from catalogue.models import (
    CampaignTarget,
    Curation,
    FileDownload,
    QuoteRequest,
    ShippingRate,
    Stage,
    StageKind,
    StageStatus,
)
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING
from tests.catalogue.campaign import factories as campaign_factories
from villages.models import SelectionWeights

pytestmark = pytest.mark.django_db

NONE: frozenset[str] = frozenset()
V = frozenset({"view"})
VAC = frozenset({"view", "add", "change"})
VC = frozenset({"view", "change"})
VD = frozenset({"view", "delete"})
ALL = frozenset({"view", "add", "change", "delete"})
ALL_AND_IMPORT = ALL | {"import"}

MATRIX: dict[str, dict[str, frozenset[str]]] = {
    "catalogue.product": {ADMIN_PMD: ALL, PENDAMPING: ALL, MITRA: V},
    "catalogue.producer": {ADMIN_PMD: ALL, PENDAMPING: ALL, MITRA: V},
    "catalogue.category": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: V},
    "catalogue.stage": {ADMIN_PMD: ALL, PENDAMPING: VC, MITRA: V},
    "catalogue.stagechange": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: V},
    "catalogue.certificate": {ADMIN_PMD: ALL, PENDAMPING: ALL, MITRA: V},
    # Curation "Bintang OVOP NTT" (issue 16): field officers score, partners read.
    "catalogue.curation": {ADMIN_PMD: ALL, PENDAMPING: VAC, MITRA: V},
    # Orders hold buyers' names, WhatsApp numbers and addresses: partners never see them.
    "catalogue.order": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: NONE},
    "catalogue.orderpart": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: NONE},
    "catalogue.orderline": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: NONE},
    # Producers' shipping rates: officers edit them with the producers; partners have no use for them.
    "catalogue.shippingrate": {ADMIN_PMD: ALL, PENDAMPING: ALL, MITRA: NONE},
    # The Gerakan: agencies are a public list; a campaign purchase carries the buyer's NIP.
    "catalogue.agency": {ADMIN_PMD: ALL_AND_IMPORT, PENDAMPING: VAC | {"import"}, MITRA: V},
    "catalogue.campaigntarget": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: V},
    "catalogue.campaignpurchase": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: NONE},
    "catalogue.quoterequest": {ADMIN_PMD: ALL, PENDAMPING: VC, MITRA: NONE},
    "villages.province": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: V},
    "villages.regency": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: V},
    "villages.district": {ADMIN_PMD: ALL, PENDAMPING: V, MITRA: V},
    "villages.village": {ADMIN_PMD: ALL_AND_IMPORT, PENDAMPING: VAC, MITRA: V},
    # Cohort selection (issue 16): Pendamping scores, Admin PMD accepts, imports and sets the weights.
    "villages.candidate": {ADMIN_PMD: ALL_AND_IMPORT, PENDAMPING: VAC, MITRA: V},
    "villages.selectionweights": {ADMIN_PMD: VAC, PENDAMPING: V, MITRA: V},
    "auth.user": {ADMIN_PMD: ALL, PENDAMPING: NONE, MITRA: NONE},
    "auth.group": {ADMIN_PMD: ALL, PENDAMPING: NONE, MITRA: NONE},
    # Who downloaded which private file: read-only, for Admin PMD only.
    "catalogue.filedownload": {ADMIN_PMD: V, PENDAMPING: NONE, MITRA: NONE},
    # Sign-in lock-outs (django-axes) hold usernames and addresses: Admin PMD views and unlocks them.
    "axes.accessattempt": {ADMIN_PMD: VD, PENDAMPING: NONE, MITRA: NONE},
    "axes.accesslog": {ADMIN_PMD: VD, PENDAMPING: NONE, MITRA: NONE},
    "axes.accessfailurelog": {ADMIN_PMD: VD, PENDAMPING: NONE, MITRA: NONE},
    # The background task queue: Admin PMD watches it and runs failed tasks again (an action).
    "django_tasks_database.dbtaskresult": {ADMIN_PMD: VC, PENDAMPING: NONE, MITRA: NONE},
}


def make_one_of_everything() -> None:
    product = factories.product()
    Stage.objects.get(product=product, kind=StageKind.MAPPING).change_status(to=StageStatus.DONE, by=None)
    backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=timezone.localdate())
    backoffice.order([(product, 1)])
    ShippingRate.objects.create(producer=product.producer, regency=factories.regency(), price=10000)
    campaign_factories.purchase(product_=product)
    CampaignTarget.objects.create(month=timezone.localdate(), amount=1_000_000)
    QuoteRequest.objects.create(
        product=product,
        agency=campaign_factories.agency(),
        quantity=100,
        needed_by=timezone.localdate(),
        regency=product.producer.village.district.regency,
        contact_name="Narahubung",
        contact_whatsapp="+6281234567890",
    )
    backoffice.sign_in_records()
    FileDownload.record(user=backoffice.staff(MITRA), path="sertifikat/1/halal.pdf")
    backoffice.task_result()
    Curation.objects.create(product=product)
    factories.candidate()
    SelectionWeights.current()


def url(model, view: str, obj=None) -> str | None:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    try:
        return reverse(name, args=[obj.pk] if obj is not None else [])
    except NoReverseMatch:
        return None


def probes(model) -> list[tuple[str, str, str, str | None]]:
    """(what, method, needed permission, url) for each admin URL of the model."""
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the test needs one {model._meta.label} to open its change page"
    return [
        ("liste", "get", "view", url(model, "changelist")),
        ("tambah", "get", "add", url(model, "add")),
        ("lihat", "get", "view", url(model, "change", obj)),
        ("simpan", "post", "change", url(model, "change", obj)),
        ("hapus", "get", "delete", url(model, "delete", obj)),
        ("riwayat", "get", "view", url(model, "history", obj)),
        ("ekspor", "get", "view", url(model, "export")),
        ("impor", "get", "import", url(model, "import")),
    ]


def status(client: Client, method: str, address: str) -> int:
    response = client.post(address, {}) if method == "post" else client.get(address)
    return response.status_code


def test_every_registered_model_has_a_row_in_the_matrix():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered - set(MATRIX) == set(), "add these models to the permission matrix"


def test_each_group_may_do_exactly_what_the_matrix_says():
    make_one_of_everything()
    clients = {}
    for name in [None, ADMIN_PMD, PENDAMPING, MITRA]:
        client = Client()
        client.force_login(backoffice.staff(name, superuser=name is None))
        clients[name] = client
    wrong = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label_lower):
        label = model._meta.label_lower
        if label not in MATRIX:
            continue  # reported by the test above
        for what, method, needed, address in probes(model):
            if address is None:
                continue
            ceiling = status(clients[None], method, address)
            for group in [ADMIN_PMD, PENDAMPING, MITRA]:
                allowed = needed in MATRIX[label][group] or (
                    needed == "view" and "change" in MATRIX[label][group]
                )
                got = status(clients[group], method, address)
                if not allowed and got != 403:
                    wrong.append(f"{group}: {label} {what} ({address}) gave {got}, expected 403")
                if allowed and method == "get" and got != ceiling:
                    wrong.append(f"{group}: {label} {what} ({address}) gave {got}, superuser {ceiling}")
                if allowed and method == "post" and ceiling != 403 and got == 403:
                    wrong.append(f"{group}: {label} {what} ({address}) refused, superuser {ceiling}")
    assert wrong == []


def test_the_admin_index_lists_no_orders_or_users_for_partners():
    client = Client()
    client.force_login(backoffice.staff(MITRA))
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:catalogue_product_changelist") in html
    assert reverse("admin:catalogue_order_changelist") not in html
    assert reverse("admin:auth_user_changelist") not in html


def test_groups_come_from_the_data_migration_with_their_permissions():
    admin_pmd = Group.objects.get(name=ADMIN_PMD)
    pendamping = Group.objects.get(name=PENDAMPING)
    mitra = Group.objects.get(name=MITRA)
    assert admin_pmd.permissions.filter(codename="change_user").exists()
    assert not pendamping.permissions.filter(content_type__app_label="auth").exists()
    assert set(
        pendamping.permissions.filter(content_type__model="order").values_list("codename", flat=True)
    ) == {"view_order"}
    assert set(mitra.permissions.values_list("codename", flat=True)) == {
        f"view_{model}"
        for model in [
            "product",
            "productimage",
            "stage",
            "stagechange",
            "certificate",
            "producer",
            "category",
            "curation",
            "curationscore",
            "candidate",
            "selectionweights",
            "province",
            "regency",
            "district",
            "village",
            "agency",
            "campaigntarget",
        ]
    }


def test_demo_users_belong_to_their_groups(settings):
    from catalogue.demo import ensure_demo_users

    settings.DEBUG = True
    ensure_demo_users()
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=["pmd-admin", "pendamping", "mitra"])
    assert {u.username: list(u.groups.values_list("name", flat=True)) for u in users} == {
        "pmd-admin": [ADMIN_PMD],
        "pendamping": [PENDAMPING],
        "mitra": [MITRA],
    }
    mitra = users.get(username="mitra")
    assert mitra.has_perm("catalogue.view_stage")
    assert not mitra.has_perm("catalogue.view_order")
    assert users.get(username="pendamping").has_perm("catalogue.change_stage")
