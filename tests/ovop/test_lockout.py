"""Password guessing (issue 10 item 3): the admin sign-in is locked per username and client address
after 5 failures for 15 minutes, with an Indonesian page; Admin PMD unlocks it in the admin; the
producer portal can share the lock through ovop/lockout.py."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from ovop import lockout
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-yang-benar-1"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer():
    user = backoffice.staff(ADMIN_PMD, username="pmd-admin")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client: Client, password: str, *, ip: str = "10.0.0.7", username: str = "pmd-admin", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def guess(client: Client, times: int, **kwargs) -> list[int]:
    return [sign_in(client, f"tebakan-{n}", **kwargs).status_code for n in range(times)]


def test_the_right_password_after_five_wrong_ones_is_refused_with_the_lockout_page(officer):
    client = Client()
    assert guess(client, 4) == [200] * 4  # the login form again, with its error
    assert sign_in(client, "tebakan-5").status_code == 429
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in page
    assert "15 menit" in page
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_still_let_the_officer_in(officer):
    client = Client()
    guess(client, 4)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == officer.pk
    assert not AccessAttempt.objects.exists(), "a successful sign-in forgets the failures"


def test_the_lock_is_per_username_and_address(officer):
    guess(Client(), 5)
    assert sign_in(Client(), PASSWORD, ip="10.0.0.8").status_code == 302  # another address
    other = backoffice.staff(PENDAMPING, username="pendamping")
    other.set_password(PASSWORD)
    other.save()
    assert sign_in(Client(), PASSWORD, username="pendamping").status_code == 302  # another name


def test_the_lock_ends_after_the_cool_off(officer):
    guess(Client(), 5)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert sign_in(Client(), PASSWORD).status_code == 302


def test_the_limit_and_the_minutes_come_from_the_environment(officer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 30
    assert guess(Client(), 2) == [200, 429]
    assert "30 menit" in sign_in(Client(), PASSWORD).content.decode()


def test_settings_read_the_two_variables():
    code = "import ovop.settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"AXES_FAILURE_LIMIT": "7", "LOGIN_LOCKOUT_MINUTES": "60", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["7", "3600.0"]


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(officer, settings):
    settings.RATELIMIT_TRUST_X_FORWARDED_FOR = False
    for n in range(5):
        sign_in(Client(), f"tebakan-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_address_is_counted_apart(officer, settings):
    settings.RATELIMIT_TRUST_X_FORWARDED_FOR = True
    guess(Client(), 5, HTTP_X_FORWARDED_FOR="192.0.2.1")
    locked = sign_in(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert locked.status_code == 429
    # Every request comes from the proxy (same REMOTE_ADDR): another visitor is not locked out.
    assert sign_in(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.1"}


@pytest.mark.parametrize("forwarded", ["nicht-eine-adresse", "1.2.3.4:8080", "<script>", ""])
def test_a_garbled_forwarded_address_neither_breaks_nor_escapes_the_lock(officer, settings, forwarded):
    settings.RATELIMIT_TRUST_X_FORWARDED_FOR = True
    assert guess(Client(), 5, HTTP_X_FORWARDED_FOR=forwarded, ip="") == [200, 200, 200, 200, 429]
    assert sign_in(Client(), PASSWORD, HTTP_X_FORWARDED_FOR=forwarded, ip="").status_code == 429
    assert sign_in(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.5").status_code == 302


def test_a_request_without_an_address_can_still_sign_in():
    user = backoffice.staff(ADMIN_PMD)
    client = Client()
    client.force_login(user)  # a bare HttpRequest, no REMOTE_ADDR: axes' reset must not fail
    assert int(client.session["_auth_user_id"]) == user.pk


def test_admin_pmd_unlocks_from_the_admin(officer):
    guess(Client(), 5)
    attempt = AccessAttempt.objects.get()
    client = Client()
    client.force_login(backoffice.staff(ADMIN_PMD))
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "pmd-admin" in changelist.content.decode()
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert sign_in(Client(), PASSWORD).status_code == 302


@pytest.mark.parametrize("group", [PENDAMPING, MITRA])
def test_only_admin_pmd_sees_the_lockouts(officer, group):
    guess(Client(), 5)
    attempt = AccessAttempt.objects.get()
    client = Client()
    client.force_login(backoffice.staff(group))
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.exists()


def test_the_password_is_not_stored_with_the_attempt(officer):
    guess(Client(), 1)
    assert "tebakan-0" not in AccessAttempt.objects.get().post_data


def test_tests_and_code_may_still_authenticate_with_a_request(officer):
    client = Client()
    assert client.login(request=RequestFactory().get("/"), username="pmd-admin", password=PASSWORD)
    assert get_user_model().objects.get(pk=client.session["_auth_user_id"]) == officer


# --- the helper another sign-in form (the producer portal) uses -------------------------------------


def portal_request(ip: str = "10.0.0.9"):
    return RequestFactory().post("/produsen/masuk/", REMOTE_ADDR=ip)


def test_the_portal_helper_locks_a_contact_from_one_address_after_five_failures():
    name = lockout.name("produsen", "+6281234567890")
    for _ in range(4):
        lockout.failed(portal_request(), name)
    assert not lockout.is_locked(portal_request(), name)
    lockout.failed(portal_request(), name)
    assert lockout.is_locked(portal_request(), name)
    assert not lockout.is_locked(portal_request("10.0.0.10"), name)
    assert not lockout.is_locked(portal_request(), "pmd-admin")
    response = lockout.page(portal_request())
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()


def test_a_right_answer_before_the_limit_forgets_the_portal_failures():
    name = lockout.name("produsen", "+6281234567890")
    for _ in range(4):
        lockout.failed(portal_request(), name)
    lockout.succeeded(portal_request(), name)
    lockout.failed(portal_request(), name)
    assert not lockout.is_locked(portal_request(), name)
