"""PostgreSQL only: a statement the storefront sends again and again is prepared on its connection
(ovop/settings.py: server-side binding, psycopg's prepare_threshold), so PostgreSQL stops parsing
and planning it for every page (issue 17)."""

from __future__ import annotations

import pytest
from django.db import connection

from catalogue import compiled
from catalogue.views.browse import published_product
from tests import factories
from tests.conftest import on_postgres

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not on_postgres(), reason="PostgreSQL's prepared statements"),
]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_product_pages_lookup_is_prepared_once_it_repeats_and_still_finds_each_product():
    kopi, madu = factories.product("Kopi Bokonusan"), factories.product("Madu Hutan")
    lookup = 'FROM "catalogue_product" INNER JOIN "catalogue_producer"'
    for _ in range(6):
        assert compiled.one_or_404(published_product, [kopi.slug]) == kopi
    assert any(lookup in statement for statement in prepared_statements())
    # Prepared, it is still run with each call's own slug.
    assert compiled.one_or_404(published_product, [madu.slug]).name == "Madu Hutan"
    assert compiled.one_or_404(published_product, [kopi.slug]).producer == kopi.producer
