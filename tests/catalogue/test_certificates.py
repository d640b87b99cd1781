"""Permits and certificates: number rules per kind, expiry rules, and what the public may see."""

import datetime
import re
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from catalogue.models import Certificate, CertificateKind, Product
from catalogue.models.support import add_years
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


def cleaned(kind: str, number: str, **dates) -> Certificate:
    cert = Certificate(product=factories.product(), kind=kind, number=number, **dates)
    cert.full_clean()
    return cert


def errors(kind: str, number: str, **dates) -> dict[str, list[str]]:
    cert = Certificate(product=factories.product(), kind=kind, number=number, **dates)
    with pytest.raises(ValidationError) as error:
        cert.full_clean()
    return error.value.message_dict


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "stored", "label"),
    [
        ("bpom_md", "BPOM RI MD 224510107115", "MD224510107115", "BPOM RI MD 224510107115"),
        ("bpom_md", "md224510107115", "MD224510107115", "BPOM RI MD 224510107115"),
        ("bpom_ml", "ML 123456789012", "ML123456789012", "BPOM RI ML 123456789012"),
        ("halal", "id53110000123450224", "ID53110000123450224", "ID53110000123450224"),
    ],
)
def test_numbers_are_normalised_and_labelled(kind, typed, stored, label):
    cert = cleaned(kind, typed, issued_on=TODAY)
    assert cert.number == stored
    assert cert.label == label


def test_pirt_number_is_stored_as_15_digits_and_labelled_with_its_year():
    cert = cleaned("pirt", "P-IRT No. 2153276010281-31", issued_on=datetime.date(2026, 1, 10))
    assert cert.number == "215327601028131"
    assert cert.label == "P-IRT No. 2153276010281-31"


@pytest.mark.parametrize(
    ("kind", "number", "shown"),
    [
        ("bpom_md", "MD 22451010711", "BPOM RI MD 224510107115"),  # 11 digits
        ("bpom_md", "MX 224510107115", "BPOM RI MD 224510107115"),
        ("bpom_md", "ML 224510107115", "BPOM RI MD 224510107115"),  # an ML number under MD
        ("bpom_ml", "MD 224510107115", "BPOM RI ML 224510107115"),
        ("pirt", "P-IRT No. 215327601028-21", "P-IRT No. 2153276010281-21"),  # 14 digits
        ("pirt", "PIRT 21532760102812A", "P-IRT No. 2153276010281-21"),
        ("halal", "53110000123450224", "ID53110000123450224"),
        ("halal", "IDABC", "ID53110000123450224"),
    ],
)
def test_bad_numbers_are_refused_with_the_expected_form(kind, number, shown):
    messages = errors(kind, number, issued_on=TODAY)["number"]
    assert any(shown in message for message in messages)


def test_the_same_number_typed_two_ways_is_one_certificate():
    product = factories.product()
    backoffice.certificate(product, "bpom_md", "MD 224510107115", issued_on=TODAY)
    duplicate = Certificate(
        product=product, kind="bpom_md", number="BPOM RI MD-224510107115", issued_on=TODAY
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


# --- expiry ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bpom_md", "bpom_ml"])
def test_bpom_expires_five_years_after_issue_by_default(kind):
    number = "MD 224510107115" if kind == "bpom_md" else "ML 224510107115"
    cert = cleaned(kind, number, issued_on=datetime.date(2025, 3, 14))
    assert cert.expires_on == datetime.date(2030, 3, 14)


def test_pirt_default_expiry_is_five_years_and_must_agree_with_the_number():
    cert = cleaned("pirt", "2153276010281-30", issued_on=datetime.date(2025, 8, 1))
    assert cert.expires_on == datetime.date(2030, 8, 1)
    messages = errors("pirt", "2153276010281-29", issued_on=datetime.date(2025, 8, 1))["expires_on"]
    assert any("29" in message and "2030" in message for message in messages)


def test_pirt_expiry_given_by_hand_must_agree_with_the_last_two_digits():
    cleaned("pirt", "2153276010281-28", expires_on=datetime.date(2028, 6, 30))
    messages = errors("pirt", "2153276010281-28", expires_on=datetime.date(2027, 6, 30))["expires_on"]
    assert any("2028" in message and "2027" in message for message in messages)


def test_pirt_without_any_date_is_refused():
    messages = errors("pirt", "2153276010281-28")["expires_on"]
    assert any("masa berlaku" in message for message in messages)


def test_halal_has_no_expiry_unless_given():
    assert cleaned("halal", "ID53110000123450224", issued_on=TODAY).expires_on is None
    given = cleaned("halal", "ID53110000123450225", issued_on=TODAY, expires_on=datetime.date(2030, 1, 1))
    assert given.expires_on == datetime.date(2030, 1, 1)


def test_expiry_must_come_after_issue():
    messages = errors("bpom_md", "MD224510107115", issued_on=TODAY, expires_on=TODAY)["expires_on"]
    assert any("sesudah tanggal terbit" in message for message in messages)


def test_leap_day_issue_expires_on_28_february():
    assert add_years(datetime.date(2024, 2, 29), 5) == datetime.date(2029, 2, 28)


def test_save_without_full_clean_still_normalises_and_fills_the_default_expiry():
    cert = Certificate.objects.create(
        product=factories.product(), kind="bpom_md", number="bpom ri md 224510107115", issued_on=TODAY
    )
    cert.refresh_from_db()
    assert (cert.number, cert.expires_on) == ("MD224510107115", datetime.date(2031, 5, 20))


# --- public visibility ----------------------------------------------------------------------------


def test_only_verified_unexpired_certificates_are_public():
    product = factories.product()
    today = timezone.localdate()
    shown = backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=today)
    last_day = backoffice.certificate(
        product, "bpom_md", "MD224510107115", issued_on=add_years(today, -5), expires_on=today
    )
    backoffice.certificate(product, "bpom_ml", "ML224510107115", issued_on=today, verified=False)
    backoffice.certificate(
        product,
        "pirt",
        f"2153276010281-{(today.year - 1) % 100:02d}",
        expires_on=today.replace(year=today.year - 1),
    )
    assert set(Certificate.objects.public()) == {shown, last_day}
    assert {c.pk for c in Product.objects.get(pk=product.pk).public_certificates} == {shown.pk, last_day.pk}


def test_badges_show_only_public_certificates_with_number_and_expiry():
    product = factories.product()
    today = timezone.localdate()
    backoffice.certificate(product, "bpom_md", "MD224510107115", issued_on=datetime.date(2024, 7, 1))
    backoffice.certificate(product, "halal", "ID53110000999999999", issued_on=today, verified=False)
    backoffice.certificate(
        product,
        "pirt",
        f"2153276010281-{(today.year - 1) % 100:02d}",
        expires_on=today.replace(year=today.year - 1),
    )
    html = render_to_string(
        "catalogue/certificate_badges.jinja",
        {"product": Product.objects.with_public_certificates().get(pk=product.pk)},
    )
    assert "BPOM RI MD 224510107115" in html
    assert 'datetime="2029-07-01"' in html
    assert "ID53110000999999999" not in html  # unverified
    assert "2153276010281" not in html  # expired


def test_a_product_without_public_certificates_renders_no_badges():
    product = factories.product()
    backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=TODAY, verified=False)
    html = render_to_string("catalogue/certificate_badges.jinja", {"product": product})
    assert "certificate-badge" not in html


def test_badges_for_a_page_of_products_cost_one_query(django_assert_num_queries):
    for i in range(6):
        product = factories.product()
        backoffice.certificate(product, "bpom_md", f"MD2245101071{i:02d}", issued_on=TODAY)
    with django_assert_num_queries(2):
        products = list(Product.objects.with_public_certificates())
        html = "".join(
            render_to_string("catalogue/certificate_badges.jinja", {"product": p}) for p in products
        )
    assert html.count("certificate-badge badge-bpom") == 6


def test_cards_show_a_badge_for_each_public_certificate_only():
    today = timezone.localdate()
    product = factories.product("Kopi Bajawa")
    backoffice.certificate(product, "pirt", f"2153276010281-{(today.year + 5) % 100:02d}", issued_on=today)
    backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=today)
    backoffice.certificate(product, "bpom_md", "MD224510107115", issued_on=today, verified=False)
    yesterday = today - datetime.timedelta(days=1)
    backoffice.certificate(
        product, "bpom_ml", "ML224510107115", issued_on=add_years(yesterday, -5), expires_on=yesterday
    )
    plain = factories.product("Kopi Tanpa Izin")
    cards = {card.name: card for card in Product.objects.published().order_by("name").cards(0, 10)}
    assert cards["Kopi Bajawa"].certificate_badges == [("halal", "Halal"), ("pirt", "P-IRT")]
    assert cards["Kopi Tanpa Izin"].certificate_badges == []
    # The same words as the product page's badges, which read the certificates themselves.
    assert Product.objects.get(pk=product.pk).certificate_badges == [("halal", "Halal"), ("pirt", "P-IRT")]
    assert Product.objects.get(pk=plain.pk).certificate_badges == []


def test_a_certificate_expiring_today_leaves_the_cards_tomorrow():
    today = timezone.localdate()
    product = factories.product("Kopi Bajawa")
    backoffice.certificate(
        product, "bpom_md", "MD224510107115", issued_on=add_years(today, -5), expires_on=today
    )
    [card] = Product.objects.published().cards(0, 1)
    assert card.certificate_badges == [("bpom", "BPOM")]
    tomorrow = today + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        [card] = Product.objects.published().cards(0, 1)
    assert card.certificate_badges == []


@pytest.mark.parametrize(
    ("family", "expected"), [("bpom", {"md", "ml"}), ("halal", {"halal"}), ("pirt", {"pirt"})]
)
def test_certified_filters_by_family_of_public_certificates(family, expected):
    today = timezone.localdate()
    products = {name: factories.product(name=name) for name in ["md", "ml", "halal", "pirt", "draft", "old"]}
    backoffice.certificate(products["md"], "bpom_md", "MD224510107115", issued_on=today)
    backoffice.certificate(products["ml"], "bpom_ml", "ML224510107115", issued_on=today)
    backoffice.certificate(products["halal"], "halal", "ID53110000123450224", issued_on=today)
    backoffice.certificate(
        products["pirt"], "pirt", f"2153276010281-{(today.year + 5) % 100:02d}", issued_on=today
    )
    for name in ["draft", "old"]:
        kind, number = {
            "bpom": ("bpom_md", "MD999999999999"),
            "halal": ("halal", "ID99999999"),
            "pirt": ("pirt", f"9999999999999{(today.year + 5) % 100:02d}"),
        }[family]
        if name == "draft":
            backoffice.certificate(products[name], kind, number, issued_on=today, verified=False)
        else:
            expired = today - datetime.timedelta(days=1)
            old = Certificate(
                product=products[name], kind=kind, number=number[:-2] + f"{expired.year % 100:02d}"
            )
            old.issued_on, old.expires_on, old.verified_at = add_years(expired, -5), expired, timezone.now()
            old.save()
    assert {p.name for p in Product.objects.certified(family)} == expected


def test_certified_with_an_unknown_family_raises_key_error():
    with pytest.raises(KeyError):
        Product.objects.certified("organik")


def test_families_cover_every_kind_once():
    kinds = [kind for kinds in CertificateKind.families().values() for kind in kinds]
    assert sorted(kinds) == sorted(CertificateKind.values)


# --- the catalogue's `sertifikat` filter ----------------------------------------------------------


def test_catalogue_filter_sertifikat_lists_only_products_with_that_public_certificate(client):
    today = timezone.localdate()
    halal = factories.product(name="Madu Halal")
    pending = factories.product(name="Madu Menunggu")
    factories.product(name="Madu Biasa")
    backoffice.certificate(halal, "halal", "ID53110000123450224", issued_on=today)
    backoffice.certificate(pending, "halal", "ID53110000123450225", issued_on=today, verified=False)
    html = client.get("/produk/", {"sertifikat": "halal"}).content.decode()
    assert "Madu Halal" in html
    assert "Madu Menunggu" not in html and "Madu Biasa" not in html
    assert 'name="sertifikat"' in html


def test_catalogue_filter_sertifikat_with_an_unknown_value_is_ignored_with_a_notice(client):
    factories.product(name="Madu Biasa")
    response = client.get("/produk/", {"sertifikat": "organik"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Madu Biasa" in html
    assert "tidak dikenal" in html


def test_cards_show_public_certificate_kinds_without_numbers_and_the_product_page_the_numbers(client):
    product = factories.product("Madu Uji Kartu")
    today = timezone.localdate()
    Certificate.objects.create(
        product=product,
        kind="halal",
        number="ID53110000123450224",
        expires_on=today + datetime.timedelta(days=400),
        verified_at=timezone.now(),
    )
    Certificate.objects.create(product=product, kind="bpom_md", number="MD224510107115", verified_at=None)
    Certificate.objects.create(
        product=product, kind="pirt", number="2153276010281-29", verified_at=timezone.now()
    )
    card = client.get("/produk/").content.decode()
    assert re.search(r'badge-halal">\s*<span class="badge-kind">Halal</span>', card)
    assert re.search(r'badge-pirt">\s*<span class="badge-kind">P-IRT</span>', card)
    assert "ID53110000123450224" not in card and "2153276010281" not in card  # numbers: product page
    page = client.get(product.get_absolute_url()).content.decode()
    assert "ID53110000123450224" in page
    assert (today + datetime.timedelta(days=400)).isoformat() in page
    assert page.count("P-IRT") == page.count("P-IRT No. 2153276010281-29") + page.count("P-IRT</option>")
    assert "P-IRT P-IRT" not in re.sub(r"<[^>]+>|\s+", " ", page).replace("  ", " ")
    assert "224510107115" not in card + page  # unverified: never shown to shoppers
