import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from catalogue.demo import load_demo
from catalogue.models import Product

pytestmark = pytest.mark.django_db


def test_home_lists_all_44_demo_products_in_a_bounded_number_of_queries(client):
    load_demo(with_images=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for product in Product.objects.all():
        assert escape(product.name) in html
    assert len(queries) <= 10
