"""The installable shop (ovop/pwa.py): manifest with icons, service worker at /sw.js, offline page."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_pages_link_the_manifest_and_install_the_worker_from_a_file(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert "js/pwa.js" in html and "serviceWorker.register" not in html  # no inline script


def test_the_manifest_names_the_shop_and_has_png_icons_including_a_maskable_one(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Beli Produk NTT" and manifest["display"] == "standalone"
    assert manifest["scope"] == "/" and manifest["lang"] == "id"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png" and icon["src"].startswith("/static/img/icon-")


def test_the_service_worker_is_served_for_the_whole_site_and_never_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert 'var OFFLINE_URL = "/offline/";' in script
    assert "admin|produsen" in script  # never cached
    assert 'request.method !== "GET"' in script  # POST answers are never cached
    for page in ("produk", "keranjang", "pesanan"):
        assert page in script


def test_the_offline_page_is_indonesian_and_standalone(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):  # cached once by the worker: no session, no database
        response = client.get("/offline/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html and "Tidak ada koneksi internet" in html
