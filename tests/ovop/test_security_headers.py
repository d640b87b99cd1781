"""Every page, public and admin, carries an enforced nonce-based CSP and the other security headers,
and every inline script or style on it carries that page's nonce."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=_-]+)'")
INLINE_TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
NON_EXECUTED_SCRIPT = re.compile(r"""type=["']application/(ld\+)?json["']""", re.IGNORECASE)


@pytest.fixture
def shop():
    product = factories.product(name="Kopi Arabika Bajawa", is_featured=True)
    return {
        "product": product,
        "producer": product.producer,
        "village": product.producer.village,
        "regency": product.producer.village.district.regency,
    }


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("pmd-uji", "pmd@example.org", "-"))
    return client


def public_paths(shop) -> list[str]:
    return [
        "/",
        "/en/",
        "/produk/",
        "/produk/?q=kopi&urut=harga-naik",
        shop["product"].get_absolute_url(),
        shop["producer"].get_absolute_url(),
        shop["regency"].get_absolute_url(),
        shop["village"].get_absolute_url(),
        "/keranjang/",
        "/checkout/",
        "/tentang/",
        "/halaman-yang-tidak-ada/",
        "/admin/login/",
        "/sehat/",
    ]


ADMIN_PATHS = [
    "/admin/",
    "/admin/catalogue/product/",
    "/admin/catalogue/product/add/",
    "/admin/catalogue/producer/",
    "/admin/villages/village/",
    "/admin/catalogue/order/",
]


def assert_secure_headers(response, path: str, *, status: int | None = None) -> None:
    if status is None:
        assert response.status_code < 500, path
    else:
        assert response.status_code == status, path
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"{path}: no Content-Security-Policy"
    assert "Content-Security-Policy-Report-Only" not in response.headers, path
    # Django names the nonce in the policy only on pages that used it; 'self' is always there.
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", policy), path
    assert re.search(r"style-src 'self'( 'nonce-[^']+')?;", policy), path
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, path
    assert response.headers["X-Frame-Options"] == "DENY", path
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["Referrer-Policy"] == "same-origin", path
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", path


def assert_inline_tags_carry_the_nonce(response, html: str, path: str) -> None:
    """Every inline <script> (not JSON data) and <style> carries the nonce named in this response's CSP."""
    found = NONCE.search(response.headers["Content-Security-Policy"])
    for tag, attributes in INLINE_TAG.findall(html):
        external = tag.lower() == "script" and re.search(r"\bsrc=", attributes)
        if external or NON_EXECUTED_SCRIPT.search(attributes):
            continue
        assert found, f"{path}: inline <{tag}{attributes}> but no nonce in the policy"
        assert f'nonce="{found.group(1)}"' in attributes, (
            f"{path}: inline <{tag}{attributes}> without the nonce"
        )


def assert_page_obeys_the_policy(response, path: str) -> None:
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    assert_inline_tags_carry_the_nonce(response, html, path)
    assert not re.search(r"""\sstyle=["']""", html), f"{path}: a style attribute, which the CSP blocks"
    assert not re.search(r"\son[a-z]+=[\"']", html), f"{path}: an inline event handler"
    assert "javascript:" not in html, f"{path}: a javascript: URL"


def test_every_public_page_has_an_enforced_csp_and_security_headers(client, shop):
    for path in public_paths(shop):
        response = client.get(path)
        assert_secure_headers(response, path)
        assert_page_obeys_the_policy(response, path)


def test_every_admin_page_has_an_enforced_csp_and_security_headers(admin_client, shop):
    for path in [*ADMIN_PATHS, f"/admin/catalogue/product/{shop['product'].pk}/change/"]:
        response = admin_client.get(path)
        assert_secure_headers(response, path)
        assert_inline_tags_carry_the_nonce(response, response.content.decode(), path)


def test_the_nonce_is_fresh_for_every_response(client):
    first = NONCE.search(client.get("/").headers["Content-Security-Policy"]).group(1)
    second = NONCE.search(client.get("/").headers["Content-Security-Policy"]).group(1)
    assert first != second


def test_hsts_is_sent_over_https_behind_the_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/sehat/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_behind_the_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/produk/", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/produk/"
    assert client.get("/produk/", headers={"X-Forwarded-Proto": "https"}).status_code != 301


def test_the_503_page_also_carries_the_csp(client):
    from unittest import mock

    from django.db import OperationalError

    with mock.patch("ovop.views.Product.objects.published", side_effect=OperationalError("down")):
        response = client.get("/")
    assert_secure_headers(response, "/ (503)", status=503)


# --- issue 10 item 10: the language cookie, and no inline handler or unnonced script anywhere --------


def test_the_language_cookie_is_samesite_lax_and_hidden_from_scripts(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True


def test_the_language_cookie_is_secure_over_https(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    assert response.cookies["django_language"]["secure"] is True


def assert_no_inline_code(response, path: str) -> None:
    """No on*= handler, javascript: URL, or <script> without src that lacks this response's nonce."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    assert_inline_tags_carry_the_nonce(response, html, path)
    handler = re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.IGNORECASE)
    assert not handler, f"{path}: an inline event handler: {handler.group(0)[-120:]}"
    assert not re.search(r"""(href|src|action)=["']\s*javascript:""", html, re.IGNORECASE), path


def test_every_admin_and_staff_page_has_no_inline_handler_or_unnonced_script():
    from tests.catalogue import backoffice
    from tests.ovop import admin_walk

    objects = admin_walk.plant_one_of_everything()
    client = Client()
    client.force_login(backoffice.staff(backoffice.ADMIN_PMD))
    pages = admin_walk.admin_pages() + admin_walk.staff_pages(objects)
    for page in pages:
        if page.url.endswith("/logout/"):
            continue
        response = client.get(page.url, follow=True)
        assert response.status_code < 500, page.url
        assert_no_inline_code(response, page.url)


def test_every_storefront_page_has_no_inline_handler_or_unnonced_script(client, shop):
    from tests.catalogue import backoffice

    order = backoffice.order([(shop["product"], 1)], status="menunggu_pembayaran")
    for path in [*public_paths(shop), order.get_absolute_url(), "/en" + order.get_absolute_url()]:
        response = client.get(path)
        assert response.status_code < 500, path
        assert_no_inline_code(response, path)


def test_the_export_pages_select_all_box_is_wired_by_an_external_script(admin_client, shop):
    html = admin_client.get("/admin/catalogue/product/export/").content.decode()
    assert 'class="select-toggle"' in html
    assert "onchange" not in html
    assert re.search(r'<script src="/static/js/admin-export\.js" defer></script>', html)
