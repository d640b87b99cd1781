import uuid

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from catalogue.models import Order, OrderPart, PartStatus, Product
from catalogue.orders.checkout import Buyer, LineRequest, place_order
from catalogue.orders.statuses import set_part_status
from tests import factories

pytestmark = pytest.mark.django_db

ORDERS = reverse("admin:catalogue_order_changelist")
PARTS = reverse("admin:catalogue_orderpart_changelist")


def stock(product: Product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def make_order(
    *products: Product, name: str = "Maria Ndapa", quantity: int = 1, payment: str = "qris"
) -> Order:
    return place_order(
        cart_lines=[LineRequest(product.pk, quantity) for product in products],
        buyer=Buyer(name, "081234567890", "maria@example.com"),
        checkout_key=uuid.uuid4().hex,
        delivery="kirim",
        address="Jl. Soekarno 5",
        regency=factories.regency(),
        payment=payment,
    ).order


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("pmd", "pmd@example.com", "x")
    client.force_login(user)
    return client


def staff_client(client, django_user_model, group: str, *codenames: str):
    user = django_user_model.objects.create_user("staf-" + group.split()[0].lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


def act(client, url: str, action: str, objects) -> object:
    return client.post(
        url,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], "index": 0},
        follow=True,
    )


def test_changelist_lists_orders_with_statuses_per_producer(admin_client, django_assert_max_num_queries):
    for _ in range(5):
        make_order(factories.product(), factories.product())
    with django_assert_max_num_queries(14):
        response = admin_client.get(ORDERS)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Menunggu pembayaran") >= 10
    assert "Maria Ndapa" in html


def test_changelist_query_count_does_not_grow_with_orders(admin_client):
    make_order(factories.product(), factories.product())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(ORDERS)
    for _ in range(6):
        make_order(factories.product(), factories.product())
    with CaptureQueriesContext(connection) as many:
        admin_client.get(ORDERS)
    # The producer filter lists producers (one query either way): only the data grows, not the queries.
    assert len(many.captured_queries) == len(few.captured_queries)


def test_filters_by_status_regency_and_producer(admin_client):
    timor = factories.producer(village_=factories.village("53.03.01.2001", "Oelbubuk"))
    kupang = factories.producer()
    from_timor = make_order(factories.product(producer_=timor))
    from_kupang = make_order(factories.product(producer_=kupang))
    set_part_status(from_kupang.parts.get(), PartStatus.PAID, by="t")

    def listed(query: str) -> set[str]:
        html = admin_client.get(ORDERS + query).content.decode()
        return {number for number in (from_timor.number, from_kupang.number) if number in html}

    assert listed("?status=dibayar") == {from_kupang.number}
    assert listed("?status=menunggu_pembayaran") == {from_timor.number}
    timor_regency = timor.village.district.regency
    assert listed(f"?kabupaten={timor_regency.slug}") == {from_timor.number}
    assert listed(f"?produsen={kupang.slug}") == {from_kupang.number}


def test_search_by_number_and_buyer_name(admin_client):
    first = make_order(factories.product(), name="Yohana Lende")
    second = make_order(factories.product(), name="Petrus Bria")
    html = admin_client.get(ORDERS + f"?q={first.number}").content.decode()
    assert first.number in html and second.number not in html
    html = admin_client.get(ORDERS + "?q=bria").content.decode()
    assert second.number in html and first.number not in html


def test_change_page_shows_parts_with_their_lines_read_only(admin_client):
    product = factories.product(name="Kopi Bajawa", price=60000)
    order = make_order(product, quantity=2)
    response = admin_client.get(reverse("admin:catalogue_order_change", args=[order.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 × Kopi Bajawa" in html and "Rp60.000" in html
    assert "Pembeli (data pribadi)" in html and "Jl. Soekarno 5" in html
    assert 'name="buyer_name"' not in html  # nothing typed over by hand
    assert 'name="parts-0-status"' not in html


def test_orders_cannot_be_added_or_deleted_in_the_admin(admin_client):
    order = make_order(factories.product())
    assert admin_client.get(reverse("admin:catalogue_order_add")).status_code == 403
    assert admin_client.get(reverse("admin:catalogue_order_delete", args=[order.pk])).status_code == 403


def test_action_moves_every_part_of_the_selected_orders(admin_client):
    order = make_order(factories.product(), factories.product())
    response = act(admin_client, ORDERS, "to_dibayar", [order])
    assert "2 bagian pesanan diubah menjadi “Dibayar”." in response.content.decode()
    assert set(order.parts.values_list("status", flat=True)) == {PartStatus.PAID}


def test_action_skips_parts_whose_status_does_not_allow_the_move(admin_client):
    order = make_order(factories.product())
    response = act(admin_client, ORDERS, "to_selesai", [order])
    assert "1 bagian pesanan dilewati" in response.content.decode()
    assert order.parts.get().status == PartStatus.AWAITING_PAYMENT


def test_an_officer_confirms_a_cash_part_by_shipping_it(admin_client):
    order = make_order(factories.product(), payment="cod")
    skipped = act(admin_client, PARTS, "to_dibayar", list(order.parts.all()))
    assert "1 bagian pesanan dilewati" in skipped.content.decode()
    assert order.parts.get().status == PartStatus.AWAITING_CONFIRMATION
    act(admin_client, PARTS, "to_dikirim", list(order.parts.all()))
    assert order.parts.get().status == PartStatus.SHIPPED
    html = admin_client.get(PARTS + "?status=menunggu_konfirmasi").content.decode()
    assert str(order.parts.get()) not in html


def test_cancel_action_returns_stock_exactly_once(admin_client):
    product = factories.product(stock=10)
    order = make_order(product, quantity=4)
    assert stock(product) == 6
    act(admin_client, ORDERS, "to_dibatalkan", [order])
    act(admin_client, ORDERS, "to_dibatalkan", [order])
    act(admin_client, PARTS, "to_dibatalkan", list(order.parts.all()))
    assert stock(product) == 10
    part = order.parts.get()
    assert (part.status, part.stock_returned) == (PartStatus.CANCELLED, True)


def test_part_changelist_moves_single_parts(admin_client):
    order = make_order(factories.product(), factories.product())
    first, second = order.parts.order_by("pk")
    act(admin_client, PARTS, "to_siap_diambil", [first])
    assert OrderPart.objects.get(pk=first.pk).status == PartStatus.READY
    assert OrderPart.objects.get(pk=second.pk).status == PartStatus.AWAITING_PAYMENT
    html = admin_client.get(PARTS + f"?produsen={second.producer.slug}").content.decode()
    assert str(second) in html and str(first) not in html


def test_pendamping_sees_orders_but_cannot_move_them(client, django_user_model):
    order = make_order(factories.product())
    staff = staff_client(client, django_user_model, "Pendamping PMD")
    html = staff.get(ORDERS).content.decode()
    assert order.number in html and "Maria Ndapa" in html
    assert "to_dibayar" not in html
    act(staff, ORDERS, "to_dibayar", [order])
    assert order.parts.get().status == PartStatus.AWAITING_PAYMENT


def test_buyers_personal_data_is_hidden_from_the_mitra_group(client, django_user_model):
    order = make_order(factories.product(), name="Yohana Lende")
    mitra = staff_client(client, django_user_model, "Mitra", "view_order")
    listing = mitra.get(ORDERS)
    assert listing.status_code == 200
    assert order.number in listing.content.decode()
    assert "Yohana Lende" not in listing.content.decode()
    assert order.number not in mitra.get(ORDERS + "?q=Lende").content.decode()  # no search by name
    detail = mitra.get(reverse("admin:catalogue_order_change", args=[order.pk])).content.decode()
    assert order.number in detail
    for private in ["Yohana Lende", "+6281234567890", "maria@example.com", "Jl. Soekarno 5"]:
        assert private not in detail
