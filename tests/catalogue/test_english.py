"""English content (catalogue/english.py): /en/ shows English where filled in, else the Indonesian
text marked lang="id"; the demo has English text; English search uses it; officers edit both."""

from __future__ import annotations

import re

import pytest
from django.db.models import F

from catalogue.demo import load_demo
from catalogue.models import Category, Product
from tests import factories

pytestmark = pytest.mark.django_db


def test_english_pages_show_the_english_name_description_and_unit(client):
    product = factories.product(
        "Kopi Arabika Bajawa",
        name_en="Bajawa Arabica Coffee",
        short_description="Kopi olah basah.",
        short_description_en="Washed coffee.",
        unit="kemasan 250 g",
        unit_en="250 g pack",
    )
    catalogue = client.get("/en/produk/").content.decode()
    assert '<h3 class="card-title">Bajawa Arabica Coffee</h3>' in catalogue
    assert "250 g pack" in catalogue
    page = client.get(f"/en/produk/{product.slug}/").content.decode()
    assert "<h1>Bajawa Arabica Coffee</h1>" in page
    assert "Washed coffee." in page and "Kopi olah basah." not in page
    indonesian = client.get(f"/produk/{product.slug}/").content.decode()
    assert "<h1>Kopi Arabika Bajawa</h1>" in indonesian and "Bajawa Arabica Coffee" not in indonesian


def test_without_english_text_the_indonesian_shows_marked_lang_id(client):
    product = factories.product("Gula Lontar Rote", story="Dimasak di tungku kayu.")
    catalogue = client.get("/en/produk/").content.decode()
    assert '<h3 class="card-title"><span lang="id">Gula Lontar Rote</span></h3>' in catalogue
    page = client.get(f"/en/produk/{product.slug}/").content.decode()
    assert '<div lang="id"><p>Dimasak di tungku kayu.</p></div>' in page
    assert '<html lang="en">' in page
    assert 'lang="id"' not in client.get(f"/produk/{product.slug}/").content.decode().split("<body", 1)[1]


def test_categories_show_their_english_names_in_the_filters_and_chips(client):
    category = factories.category("Madu")
    category.name_en = "Honey"
    category.save()
    factories.product("Madu Hutan", category=category)
    html = client.get("/en/produk/", {"kategori": "madu"}).content.decode()
    assert '<option value="madu" selected>Honey</option>' in html
    assert "Honey <span aria-hidden" in html  # the active filter's chip


def _category_with_products(**fields) -> Category:
    category = factories.category("Madu")
    for name, value in fields.items():
        setattr(category, name, value)
    category.save()
    factories.product("Madu Hutan", category=category)
    return category


def test_a_chosen_category_describes_itself_in_english_on_english_pages(client):
    _category_with_products(
        name_en="Honey",
        description="Madu hutan dari lebah liar.",
        description_en="Forest honey from wild bees.",
    )
    english = client.get("/en/produk/", {"kategori": "madu"}).content.decode()
    assert '<div class="category-description"><p>Forest honey from wild bees.</p></div>' in english
    assert "Madu hutan dari lebah liar." not in english
    indonesian = client.get("/produk/", {"kategori": "madu"}).content.decode()
    assert '<div class="category-description"><p>Madu hutan dari lebah liar.</p></div>' in indonesian
    assert "Forest honey from wild bees." not in indonesian
    # Only the chosen category's: the whole catalogue has no description.
    assert "category-description" not in client.get("/en/produk/").content.decode()


def test_without_an_english_description_the_indonesian_shows_marked_lang_id(client):
    _category_with_products(description="Madu hutan dari lebah liar.")
    english = client.get("/en/produk/", {"kategori": "madu"}).content.decode()
    assert '<div class="category-description" lang="id"><p>Madu hutan dari lebah liar.</p></div>' in english
    indonesian = client.get("/produk/", {"kategori": "madu"}).content.decode()
    assert 'lang="id"' not in indonesian.split("<body", 1)[1]


def test_a_category_without_any_description_shows_none(client):
    _category_with_products(name_en="Honey")
    assert "category-description" not in client.get("/en/produk/", {"kategori": "madu"}).content.decode()


def test_english_search_finds_products_by_their_english_text(client):
    factories.product("Selai Srikaya", name_en="Custard Apple Jam")
    factories.product("Madu Hutan")
    for query in ("custard", "custrd apple"):
        html = client.get("/en/produk/", {"q": query}).content.decode()
        assert "Custard Apple Jam" in html and "Madu Hutan" not in html, query


def test_the_demo_has_english_text_for_every_product_and_category():
    load_demo(with_images=False)
    assert Category.objects.count() == 10
    assert not Category.objects.filter(name_en="").exists()
    assert not Category.objects.filter(description="").exists()
    assert not Category.objects.filter(description_en="").exists()
    # A translation, not a copy of the Indonesian text.
    assert not Category.objects.filter(description_en=F("description")).exists()
    assert Product.objects.count() == 44
    for field in ("name_en", "short_description_en", "unit_en"):
        assert not Product.objects.filter(**{field: ""}).exists(), field


def test_officers_edit_both_languages_side_by_side(admin_client):
    product = factories.product()
    html = admin_client.get(f"/admin/catalogue/product/{product.pk}/change/").content.decode()
    for field in ("name", "short_description", "story"):
        assert f"field-{field} field-{field}_en" in html or f"field-{field}_en" in html
        assert f'name="{field}_en"' in html
    assert 'name="unit_en"' in html
    category = factories.category()
    html = admin_client.get(f"/admin/catalogue/category/{category.pk}/change/").content.decode()
    assert 'name="name_en"' in html
    # The description and its English side by side: one admin row holds both fields.
    assert "form-multiline field-description field-description_en" in html
    assert 'name="description"' in html and 'name="description_en"' in html


def test_english_pages_name_the_campaign_one_way(client):
    factories.product()
    for url in ("/en/", "/en/gerakan/"):
        html = client.get(url).content.decode()
        assert "The Beli Produk NTT campaign" in html, url
        assert "Gerakan Beli Produk NTT" not in html and "Buy NTT Products campaign" not in html, url


def test_an_indonesian_alt_text_on_an_english_page_is_marked_lang_id(client):
    product = factories.product("Kopi Bajawa", name_en="Bajawa Coffee")
    factories.product_image(product, alt_text="Kopi Bajawa dalam kemasan kraft")
    english = client.get(f"/en/produk/{product.slug}/").content.decode()
    assert 'alt="Kopi Bajawa dalam kemasan kraft" lang="id"' in english
    indonesian = client.get(f"/produk/{product.slug}/").content.decode()
    assert 'alt="Kopi Bajawa dalam kemasan kraft" fetchpriority' in indonesian


def test_an_image_without_alt_text_is_described_by_the_english_name_on_english_pages(client):
    product = factories.product("Kopi Bajawa", name_en="Bajawa Coffee")
    factories.product_image(product)
    # English text of its own: no lang="id" on the image.
    assert re.search(r'alt="Bajawa Coffee" (?!lang=)', client.get("/en/produk/").content.decode())
    assert re.search(r'alt="Kopi Bajawa" (?!lang=)', client.get("/produk/").content.decode())
