"""Producer.regency and Product.regency: the regency kept on them for the listings by regency (a
product page's neighbours, a regency page, the catalogue's regency filter), always where the
producer's village is."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client

from catalogue.models import Producer, Product
from tests import factories

pytestmark = pytest.mark.django_db


def village_in(regency_code: str, regency_name: str, name: str):
    factories.regency(regency_code, regency_name)
    factories.district(f"{regency_code}.01", f"Kecamatan {name}", regency_code=regency_code)
    return factories.village(f"{regency_code}.01.2001", name)


def test_a_product_is_in_the_regency_of_its_producers_village():
    village = village_in("53.09", "Kabupaten Ngada", "Beiwali")
    product = factories.product("Kopi Arabika", producer_=factories.producer(village_=village))
    assert Producer.objects.get(pk=product.producer_id).regency_id == "53.09"
    assert Product.objects.get(pk=product.pk).regency_id == "53.09"
    assert list(Product.objects.in_regency("53.09")) == [product]


def test_a_producer_moved_to_another_regency_takes_its_products_along(client):
    ngada = village_in("53.09", "Kabupaten Ngada", "Beiwali")
    sikka = village_in("53.10", "Kabupaten Sikka", "Watublapi")
    producer = factories.producer(village_=ngada)
    moved = factories.product("Kopi Arabika", producer_=producer)
    stayed = factories.product("Kopi Robusta", producer_=factories.producer(village_=ngada))

    producer.village = sikka
    producer.save()

    assert Product.objects.get(pk=moved.pk).regency_id == "53.10"
    assert Product.objects.get(pk=stayed.pk).regency_id == "53.09"
    assert list(Producer.objects.in_regency("53.10")) == [producer]
    # Where shoppers see it: the regency filter and the other regency's neighbours.
    listed = client.get("/produk/", {"kabupaten": "kabupaten-sikka"}).content.decode()
    assert "Kopi Arabika" in listed and "Kopi Robusta" not in listed
    assert "Kopi Arabika" not in client.get(stayed.get_absolute_url()).content.decode()


def test_a_product_given_to_another_producer_goes_where_that_producer_is():
    ngada = village_in("53.09", "Kabupaten Ngada", "Beiwali")
    sikka = village_in("53.10", "Kabupaten Sikka", "Watublapi")
    product = factories.product(producer_=factories.producer(village_=ngada))
    product.producer = factories.producer(village_=sikka)
    product.save(update_fields=["producer"])
    assert Product.objects.get(pk=product.pk).regency_id == "53.10"


def test_saving_other_fields_of_a_product_reads_no_producer(django_assert_num_queries):
    product = Product.objects.get(pk=factories.product(stock=5).pk)  # its producer not loaded
    product.stock = 4
    with django_assert_num_queries(1):
        product.save(update_fields=["stock"])


def test_the_migration_gives_existing_producers_and_products_their_regency():
    village = village_in("53.09", "Kabupaten Ngada", "Beiwali")
    product = factories.product(producer_=factories.producer(village_=village))
    Product.objects.update(regency=None)
    Producer.objects.update(regency=None)
    migration = importlib.import_module("catalogue.migrations.0019_s4_regency_listing")
    migration.fill_regencies(apps, schema_editor=None)
    assert Producer.objects.get(pk=product.producer_id).regency_id == "53.09"
    assert Product.objects.get(pk=product.pk).regency_id == "53.09"


def test_a_regency_page_lists_the_products_of_its_producers_only():
    ngada = village_in("53.09", "Kabupaten Ngada", "Beiwali")
    sikka = village_in("53.10", "Kabupaten Sikka", "Watublapi")
    factories.product("Kopi Arabika", producer_=factories.producer(village_=ngada))
    factories.product("Kain Tenun", producer_=factories.producer(village_=sikka))
    html = Client().get("/kabupaten/kabupaten-ngada/").content.decode()
    assert "Kopi Arabika" in html and "Kain Tenun" not in html
