"""Faults and hostile input: a database or cache outage, bad uploads, broken request bodies.

Each answer is a clear 4xx or an Indonesian 503 page, never a stack trace or a 500, and nothing is
written when something is refused.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import struct
import threading
import zlib
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from PIL import Image

from catalogue.models import Producer, Product, ProductImage
from ovop import urls as site_urls
from tests import factories
from tests.conftest import end_on_the_server, on_postgres

pytestmark = pytest.mark.django_db

CLOSED_REDIS = {
    "default": {
        "BACKEND": "ovop.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/7",  # nothing listens on port 1: every connection is refused
        "KEY_PREFIX": "ovop",
    }
}


# A view that only writes the session, so the database is first touched by SessionMiddleware on the
# way out: the outage surfaces below the view, in a middleware. Used through @pytest.mark.urls.
def touch_session(request: HttpRequest) -> HttpResponse:
    request.session["seen"] = True
    return HttpResponse("ok")


urlpatterns = [path("sentuh-sesi/", touch_session), *site_urls.urlpatterns]


def database_down():
    """Every new cursor fails as it does when PostgreSQL is stopped or unreachable."""
    return mock.patch.object(
        connection,
        "ensure_connection",
        side_effect=OperationalError('connection to server at "127.0.0.1", port 5432 failed'),
    )


def assert_indonesian_503(response) -> None:
    assert response.status_code == 503
    html = response.content.decode()
    assert "Layanan sedang tidak tersedia" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]


# ---- Database down ---------------------------------------------------------------------------------


@pytest.fixture
def shop():
    product = factories.product(name="Madu Hutan Timor")
    return {"product": product, "paths": ["/", "/produk/", product.get_absolute_url()]}


def test_database_down_gives_the_indonesian_503_page_on_every_public_page(client, shop):
    for page in shop["paths"]:
        with database_down():
            response = client.get(page)
        assert_indonesian_503(response)


def test_database_down_during_admin_sign_in_gives_503(client):
    get_user_model().objects.create_superuser("pmd-uji", "pmd@example.org", "kata-sandi-uji-1")
    with database_down():
        response = client.post("/admin/login/", {"username": "pmd-uji", "password": "kata-sandi-uji-1"})
    assert_indonesian_503(response)


def test_database_down_while_loading_a_signed_in_session_gives_503(client):
    user = get_user_model().objects.create_superuser("pmd-uji", "pmd@example.org", "kata-sandi-uji-1")
    client.force_login(user)
    with database_down():
        response = client.get("/admin/")
    assert_indonesian_503(response)


@pytest.mark.urls("tests.ovop.test_faults")
def test_database_down_when_the_session_is_saved_in_middleware_gives_503(client, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client.raise_request_exception = False  # as a real server: the test client would re-raise it
    with database_down():
        response = client.get("/sentuh-sesi/")
    assert_indonesian_503(response)
    assert client.get("/sentuh-sesi/").status_code == 200


def test_the_503_answer_survives_a_broken_503_template(client, shop):
    with (
        database_down(),
        mock.patch("ovop.middleware.loader.get_template", side_effect=ValueError("manifest")),
    ):
        response = client.get("/produk/")
    assert response.status_code == 503
    assert "Layanan sedang tidak tersedia" in response.content.decode()


def test_the_site_recovers_by_itself_when_the_database_returns(client, shop):
    with database_down():
        assert client.get("/produk/").status_code == 503
        assert client.get("/sehat/").status_code == 503
    response = client.get("/produk/")
    assert response.status_code == 200
    assert "Madu Hutan Timor" in response.content.decode()
    assert client.get("/sehat/").status_code == 200


class WsgiServer:
    """Django's real WSGI handler, as gunicorn calls it: request_started/finished manage the database
    connections (CONN_MAX_AGE, CONN_HEALTH_CHECKS) exactly as in production, unlike the test client."""

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def get(self, page: str) -> tuple[int, str]:
        from django.test.client import RequestFactory

        statuses = []
        environ = RequestFactory()._base_environ(PATH_INFO=page, REQUEST_METHOD="GET")
        body = b"".join(self.handler(environ, lambda status, headers: statuses.append(status)))
        return int(statuses[0].split()[0]), body.decode()


class TcpProxy:
    """A loopback TCP relay to PostgreSQL that can be cut and restored: the database "goes away"
    (connections dropped, new ones refused) without touching the shared PostgreSQL server."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            self.listener.close()
            self.listener = None
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_going_away_gives_503_and_coming_back_heals_by_itself():
    """The database server becomes unreachable mid-life (open connections dropped, new ones refused):
    pages and /sehat/ answer 503 with the Indonesian page; when it is reachable again, the very next
    requests succeed with no restart."""
    if not on_postgres():
        pytest.skip("needs PostgreSQL: SQLite has no server to lose")
    from catalogue.demo import load_demo

    load_demo(with_images=False)
    settings_dict = connection.settings_dict
    original_port = settings_dict["PORT"]
    proxy = TcpProxy(int(original_port or 5432))
    proxy.start()
    connection.close()
    settings_dict["PORT"] = str(proxy.port)
    server = WsgiServer()
    try:
        assert server.get("/produk/")[0] == 200
        proxy.stop()
        # A public page already in the fragment cache needs no database (catalogue/caching.py) and
        # keeps answering; a page that needs the database answers 503.
        assert server.get("/produk/")[0] == 200
        status, html = server.get("/tentang/")
        assert status == 503
        assert "Layanan sedang tidak tersedia" in html and "Traceback" not in html
        assert server.get("/sehat/")[0] == 503
        proxy.start()
        status, html = server.get("/produk/")
        assert status == 200
        assert "Kopi" in html or "Tenun" in html
        assert server.get("/sehat/")[0] == 200
    finally:
        connection.close()
        settings_dict["PORT"] = original_port
        proxy.stop()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_by_postgresql_is_replaced_on_the_next_request():
    """CONN_HEALTH_CHECKS: a persistent connection that died (server restart, failover, idle kill) is
    noticed at the start of the next request and replaced, instead of failing that request."""
    if not on_postgres():
        pytest.skip("needs PostgreSQL: SQLite has no server that can drop a connection")
    from catalogue.demo import load_demo

    load_demo(with_images=False)
    server = WsgiServer()
    assert server.get("/produk/")[0] == 200
    assert connection.connection is not None
    backend_pid = connection.connection.info.backend_pid
    end_on_the_server(backend_pid)
    assert server.get("/produk/")[0] == 200
    assert server.get("/sehat/")[0] == 200
    assert connection.connection.info.backend_pid != backend_pid


# ---- Cache down ------------------------------------------------------------------------------------


@pytest.fixture
def cache_down(settings):
    settings.CACHES = CLOSED_REDIS
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return settings


def test_cache_down_leaves_every_page_working(client, shop, cache_down):
    for page in [*shop["paths"], "/keranjang/"]:
        assert client.get(page).status_code == 200, page
    assert client.get("/sehat/").status_code == 503  # the health check still tells the truth


def test_cache_down_keeps_the_cart_in_the_database_backed_session(client, shop, cache_down):
    product = shop["product"]
    response = client.post("/keranjang/tambah/", {"product": product.pk, "quantity": "2"})
    assert response.status_code in {200, 302, 303}
    cart = client.get("/keranjang/")
    assert cart.status_code == 200
    assert product.name in cart.content.decode()


def test_cache_down_keeps_officers_signed_in(client, cache_down):
    get_user_model().objects.create_superuser("pmd-uji", "pmd@example.org", "kata-sandi-uji-1")
    response = client.post("/admin/login/", {"username": "pmd-uji", "password": "kata-sandi-uji-1"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_cache_outage_is_logged_once_not_on_every_request(client, shop, cache_down, caplog):
    from ovop import cache as tolerant

    tolerant._circuits.clear()
    with caplog.at_level(logging.WARNING, logger="ovop.cache"):
        for _ in range(5):  # each one reads and writes the session (cached_db) and asks /sehat/
            client.post("/keranjang/tambah/", {"product": shop["product"].pk, "quantity": "1"})
            client.get("/sehat/")
    outage = [r for r in caplog.records if r.name == "ovop.cache" and "unavailable" in r.getMessage()]
    assert len(outage) == 1


# ---- Uploads through the admin ---------------------------------------------------------------------


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A valid PNG header declaring 900 megapixels; the whole file is a few hundred bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * 64, 9)  # the start of the first row is enough for a sniffing parser
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def real_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#8a2d1c").save(buffer, "JPEG")
    return buffer.getvalue()


PDF_WITH_SCRIPT = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"3 0 obj << /S /JavaScript /JS (app.alert('pwned')) >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)

BAD_IMAGES = {
    "decompression-bomb": ("foto.png", "image/png", bomb_png),
    "not-an-image-renamed-jpg": (
        "foto.jpg",
        "image/jpeg",
        lambda: b"MZ\x90\x00 this is a Windows program " * 40,
    ),
    "oversized": ("foto.jpg", "image/jpeg", lambda: real_jpeg() + b"\x00" * (8 * 1024 * 1024 + 1)),
    "pdf-with-script": ("foto.png", "image/png", lambda: PDF_WITH_SCRIPT),
}
# Django's forms.ImageField opens the file with Pillow first (its Indonesian "not a valid image"
# message); what passes it meets catalogue.images.validate_image_upload (size, pixels, format).
NOT_AN_IMAGE = ("Unggah gambar yang valid", "bukan gambar yang sah", "bom dekompresi")
EXPECTED_MESSAGE = {
    "decompression-bomb": NOT_AN_IMAGE,
    "not-an-image-renamed-jpg": NOT_AN_IMAGE,
    "oversized": ("melebihi batas 8 MB",),
    "pdf-with-script": NOT_AN_IMAGE,
}


class FormFields(HTMLParser):
    """The fields a browser would submit from the page's main form (the admin's change form)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "file", "button", "image"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.data[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(response) -> dict[str, str]:
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def officer_client(client):
    user = get_user_model().objects.create_superuser("pmd-uji", "pmd@example.org", "kata-sandi-uji-1")
    client.force_login(user)
    return client


def files_under(folder) -> list[Path]:
    folder = Path(folder)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def assert_refused(response, messages: tuple[str, ...]) -> None:
    assert response.status_code == 200, "the admin form is shown again with its errors"
    html = response.content.decode()
    assert "errornote" in html and "errorlist" in html
    assert any(message in html for message in messages), form_errors(response)


@pytest.mark.parametrize("case", list(BAD_IMAGES))
def test_admin_refuses_a_bad_producer_photo_and_writes_nothing(officer_client, settings, case):
    name, content_type, make = BAD_IMAGES[case]
    village = factories.village()
    before = Producer.objects.count()
    data = {
        "name": "UMKM Foto Uji",
        "slug": "umkm-foto-uji",
        "village": village.pk,
        "story": "",
        "contact_person": "",
        "whatsapp": "",
        "nib": "",
        "qris_payload": "",
        "photo": SimpleUploadedFile(name, make(), content_type=content_type),
    }
    response = officer_client.post("/admin/catalogue/producer/add/", data)
    assert_refused(response, EXPECTED_MESSAGE[case])
    assert Producer.objects.count() == before
    assert files_under(settings.MEDIA_ROOT) == []


def test_admin_accepts_a_real_producer_photo(officer_client, settings):
    village = factories.village()
    data = {
        "name": "UMKM Foto Uji",
        "slug": "umkm-foto-uji",
        "village": village.pk,
        "photo": SimpleUploadedFile("foto.jpg", real_jpeg(), content_type="image/jpeg"),
    }
    response = officer_client.post("/admin/catalogue/producer/add/", data)
    assert response.status_code == 302
    assert Producer.objects.get(slug="umkm-foto-uji").photo
    assert len(files_under(settings.MEDIA_ROOT)) >= 1


@pytest.mark.parametrize("case", list(BAD_IMAGES))
def test_admin_refuses_a_bad_product_image_and_writes_nothing(officer_client, settings, case):
    name, content_type, make = BAD_IMAGES[case]
    product = factories.product()
    change_url = f"/admin/catalogue/product/{product.pk}/change/"
    data = form_data(officer_client.get(change_url))
    assert data["images-TOTAL_FORMS"] == "0"
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-product": str(product.pk),
            "images-0-alt_text": "foto uji",
            "images-0-order": "0",
            "images-0-image": SimpleUploadedFile(name, make(), content_type=content_type),
        }
    )
    response = officer_client.post(change_url, data)
    assert_refused(response, EXPECTED_MESSAGE[case])
    assert ProductImage.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []
    product.refresh_from_db()
    assert product.updated_at == Product.objects.get(pk=product.pk).updated_at


def test_admin_accepts_a_real_product_image(officer_client, settings):
    product = factories.product()
    change_url = f"/admin/catalogue/product/{product.pk}/change/"
    data = form_data(officer_client.get(change_url))
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-product": str(product.pk),
            "images-0-alt_text": "foto uji",
            "images-0-order": "0",
            "images-0-image": SimpleUploadedFile("foto.jpg", real_jpeg(), content_type="image/jpeg"),
        }
    )
    response = officer_client.post(change_url, data)
    assert response.status_code == 302, form_errors(response)
    assert ProductImage.objects.filter(product=product).count() == 1


def form_errors(response) -> str:
    html = response.content.decode()
    start = html.find("errorlist")
    return html[max(0, start - 300) : start + 600] if start >= 0 else html[:600]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("izin.pdf", PDF_WITH_SCRIPT, "JavaScript"),
        ("izin.pdf", b"MZ\x90\x00 not a document " * 40, "bukan PDF, JPEG atau PNG"),
        ("izin.png", bomb_png(), "rusak atau tidak dapat dibuka"),
    ],
    ids=["pdf-with-script", "renamed-program", "decompression-bomb"],
)
def test_admin_refuses_a_bad_stage_evidence_file_and_writes_nothing(
    officer_client, settings, name, content, message
):
    from catalogue.models import Stage

    product = factories.product()
    change_url = f"/admin/catalogue/product/{product.pk}/change/"
    data = form_data(officer_client.get(change_url))
    data["stages-0-evidence"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = officer_client.post(change_url, data)
    assert_refused(response, (message,))
    assert not Stage.objects.filter(product=product).exclude(evidence="").exists()
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


# ---- Oversized and malformed request bodies --------------------------------------------------------


def post_targets(product) -> list[str]:
    """Every view that reads a POST body from anonymous visitors (and the admin's sign-in)."""
    return ["/admin/login/", "/keranjang/tambah/", "/keranjang/ubah/", "/keranjang/hapus/", "/checkout/"]


@pytest.fixture(params=[False, True], ids=["view-parses", "csrf-middleware-parses"])
def poster(request):
    """Both places that read a body first: the view, and CsrfViewMiddleware (real browsers' path)."""
    client = Client(enforce_csrf_checks=request.param, raise_request_exception=False)  # as a real server
    headers = {}
    if request.param:
        client.get("/admin/login/")
        token = client.cookies["csrftoken"].value
        headers = {"X-CSRFToken": token}
    return client, headers


def test_a_body_over_the_upload_limit_is_400(poster, settings):
    client, headers = poster
    product = factories.product()
    body = b"nama=" + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    for target in post_targets(product):
        response = client.generic(
            "POST", target, body, content_type="application/x-www-form-urlencoded", headers=headers
        )
        assert response.status_code == 400, target


def test_too_many_fields_is_400(poster, settings):
    client, headers = poster
    product = factories.product()
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)).encode()
    for target in post_targets(product):
        response = client.generic(
            "POST", target, body, content_type="application/x-www-form-urlencoded", headers=headers
        )
        assert response.status_code == 400, target


@pytest.mark.parametrize(
    ("content_type", "body", "must_be_400"),
    [
        ("multipart/form-data; boundary=", b"--\r\nrubbish", True),
        ("multipart/form-data", b"no boundary at all", True),
        ("multipart/form-data; boundary=" + "x" * 80, b"--" + b"x" * 80 + b"\r\nrubbish", False),
        (
            "multipart/form-data; boundary=abc",
            b"--abc\r\nContent-Disposition: form-data\r\n\r\nx\r\n--abc",
            False,
        ),
        (
            "multipart/form-data; boundary=abc",
            b'--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nx',
            False,
        ),
    ],
    ids=["empty-boundary", "missing-boundary", "boundary-too-long", "part-without-name", "unterminated"],
)
def test_a_broken_multipart_body_is_400_never_500(poster, content_type, body, must_be_400):
    """A broken boundary is refused with 400; a part Django can skip (no name, no end) is skipped and the
    form then reports its missing fields: either way a 4xx or the form again, never a 500."""
    client, headers = poster
    product = factories.product()
    for target in post_targets(product):
        response = client.generic("POST", target, body, content_type=content_type, headers=headers)
        assert response.status_code < 500, target
        if must_be_400:
            assert response.status_code == 400, target


def test_invalid_utf8_in_a_urlencoded_body_never_gives_500(poster):
    client, headers = poster
    product = factories.product()
    body = b"nama=%ff%fe%fd&whatsapp=\xff\xfe0812&product=\xc3\x28&quantity=1&username=\xff&password=%80"
    for target in post_targets(product):
        response = client.generic(
            "POST", target, body, content_type="application/x-www-form-urlencoded", headers=headers
        )
        assert response.status_code < 500, target


def test_a_non_utf8_urlencoded_charset_is_400(poster):
    client, headers = poster
    product = factories.product()
    for target in post_targets(product):
        response = client.generic(
            "POST",
            target,
            b"nama=x",
            content_type="application/x-www-form-urlencoded; charset=latin-1",
            headers=headers,
        )
        assert response.status_code in {400, 403}, target
