"""Static files under production storage: hashed names cached for a year, conditional GETs answered
with 304, compressed variants served; media through the small SERVE_MEDIA view for `make serve`."""

import re
from email.utils import formatdate

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import path

from ovop import media
from ovop import urls as site_urls

urlpatterns = [path("media/<path:path>", media.media), *site_urls.urlpatterns]


@pytest.fixture
def production_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "ovop.static_storage.StaticStorage"},
    }
    settings.WHITENOISE_MAX_AGE = 31536000
    call_command("collectstatic", interactive=False, verbosity=0)
    return Client()  # a new client builds a new WhiteNoise middleware that reads the new STATIC_ROOT


@pytest.mark.django_db
def test_pages_link_hashed_static_files_cached_for_a_year(production_static):
    html = production_static.get("/").content.decode()
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert css, "the page links the hashed stylesheet"
    response = production_static.get(css.group(1))
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]


def test_static_files_answer_conditional_gets_with_304(production_static):
    from django.contrib.staticfiles.storage import staticfiles_storage

    url = staticfiles_storage.url("css/site.css")
    first = production_static.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert production_static.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert production_static.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert production_static.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_static_files_are_served_compressed_to_browsers_that_accept_it(production_static):
    from django.contrib.staticfiles.storage import staticfiles_storage

    response = production_static.get(
        staticfiles_storage.url("css/site.css"), headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"gzip", "br"}
    assert "Accept-Encoding" in response["Vary"]


def test_unhashed_names_are_not_cached_forever(production_static):
    response = production_static.get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response.get("Cache-Control", "")


@pytest.mark.urls("tests.ovop.test_static_files")
def test_media_view_serves_uploads_with_conditional_gets(client, settings):
    photo = settings.MEDIA_ROOT / "produk" / "2026" / "tenun.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    response = client.get("/media/produk/2026/tenun.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "max-age=86400" in response["Cache-Control"]
    since = formatdate(photo.stat().st_mtime + 10, usegmt=True)
    assert client.get("/media/produk/2026/tenun.jpg", headers={"If-Modified-Since": since}).status_code == 304


@pytest.mark.urls("tests.ovop.test_static_files")
def test_media_view_never_leaves_media_root(client, settings):
    secret = settings.PRIVATE_MEDIA_ROOT / "bukti" / "izin.pdf"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"%PDF-1.7 rahasia %%EOF")
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    for attempt in [
        "/media/../private/bukti/izin.pdf",
        "/media/%2e%2e/private/bukti/izin.pdf",
        "/media//etc/passwd",
    ]:
        response = client.get(attempt)
        assert response.status_code in {400, 404}, attempt
        assert b"rahasia" not in response.content
    assert client.post("/media/x.jpg").status_code == 405


def test_a_static_address_is_the_hashed_one_and_an_unknown_name_still_fails(production_static):
    # The production storage remembers each address after its first use (ovop/static_storage.py):
    # asking twice gives the same hashed address, and a name missing from the manifest is refused
    # every time rather than remembered.
    from django.contrib.staticfiles.storage import staticfiles_storage

    first = staticfiles_storage.url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", first)
    assert staticfiles_storage.url("css/site.css") == first
    for _ in range(2):
        with pytest.raises(ValueError):
            staticfiles_storage.url("css/no-such-file.css")
