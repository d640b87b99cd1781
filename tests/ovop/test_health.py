"""/sehat/: what a load balancer asks before sending traffic to this app server."""

from unittest import mock

import pytest
from django.db import OperationalError

from ovop import health

pytestmark = pytest.mark.django_db


CLOSED_REDIS = {
    "default": {
        "BACKEND": "ovop.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/7",  # port 1: nothing listens, the connection is refused
        "OPTIONS": {"retry_after": 0},
    }
}


def test_healthy_answers_200_with_a_tiny_json_body(client):
    response = client.get("/sehat/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert len(response.content) < 100


def test_sets_no_session_or_csrf_cookie_and_is_never_cached(client):
    response = client.get("/sehat/")
    assert response.cookies == {}
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_has_no_language_prefix_and_refuses_writes(client):
    assert client.get("/en/sehat/").status_code == 404
    assert client.post("/sehat/").status_code == 405


def test_database_down_answers_503_naming_the_database(client):
    with mock.patch("ovop.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/sehat/")
    assert response.status_code == 503
    assert response.json()["database"] == "gagal"
    assert response.json()["cache"] == "ok"


def test_cache_down_answers_503_naming_the_cache(client, settings):
    settings.CACHES = CLOSED_REDIS
    response = client.get("/sehat/")
    assert response.status_code == 503
    assert response.json() == {"status": "gangguan", "database": "ok", "cache": "gagal"}


def test_is_exempt_from_the_ssl_redirect_so_a_plain_http_probe_works(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]
    assert client.get("/sehat/").status_code == 200
    assert client.get("/").status_code == 301


def test_a_host_outside_allowed_hosts_is_refused_with_400(client, settings):
    settings.ALLOWED_HOSTS = ["ovop.example"]
    assert client.get("/sehat/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/sehat/", headers={"Host": "ovop.example"}).status_code == 200


def test_is_answered_without_loading_the_session_or_the_user(client):
    # The probe stops at HealthCheckMiddleware: nothing below it (sessions, auth) sees the request.
    with mock.patch("django.contrib.sessions.middleware.SessionMiddleware.process_request") as session:
        assert client.get("/sehat/").status_code == 200
    session.assert_not_called()


def test_an_address_beside_it_still_goes_through_every_layer(client):
    response = client.get("/sehat")  # no slash: CommonMiddleware's APPEND_SLASH still redirects it
    assert response.status_code == 301
    assert response["Location"] == "/sehat/"


def database_down():
    return mock.patch("ovop.health.connection.cursor", side_effect=OperationalError("connection refused"))


def test_a_healthy_answer_is_reused_for_a_second_then_checked_again(client):
    assert client.get("/sehat/").status_code == 200
    with database_down():
        assert client.get("/sehat/").status_code == 200  # within the second: no round trip
        with mock.patch("ovop.health.time.monotonic", return_value=health.time.monotonic() + 1.5):
            response = client.get("/sehat/")
    assert response.status_code == 503 and response.json()["database"] == "gagal"


def test_a_failure_is_never_reused_the_next_probe_checks_again(client):
    with database_down():
        assert client.get("/sehat/").status_code == 503
    assert client.get("/sehat/").status_code == 200


def test_with_reuse_off_every_probe_checks(client, settings):
    settings.HEALTH_CHECK_REUSE_SECONDS = 0
    assert client.get("/sehat/").status_code == 200
    with database_down():
        assert client.get("/sehat/").status_code == 503
