"""Producers as users: each phone that signs in by link is a user with no password and no staff flag,
attached to one producer (``ProducerMember``); sign-in links are stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .products import Producer


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ProducerMember(models.Model):
    """A producer's user (one per contact: a WhatsApp number or an email); never staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="producer_member"
    )
    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="members", verbose_name=_("produsen")
    )
    contact = models.CharField(
        _("kontak"), max_length=254, blank=True, help_text=_("Nomor WhatsApp atau email yang dipakai masuk.")
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["producer", "pk"]
        verbose_name = _("pengguna produsen")
        verbose_name_plural = _("pengguna produsen")
        constraints = [
            models.UniqueConstraint(fields=["producer", "contact"], name="producer_member_once_per_contact")
        ]

    def __str__(self) -> str:
        return f"{self.producer} · {self.contact or '-'}"


class ProducerLoginLinkQuerySet(models.QuerySet):
    def usable(self, *, now=None) -> ProducerLoginLinkQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class ProducerLoginLink(models.Model):
    """A one-time sign-in link. Only the token's SHA-256 is stored; the link itself is shown once."""

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="login_links", verbose_name=_("produsen")
    )
    contact = models.CharField(_("kontak"), max_length=254, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)

    objects = ProducerLoginLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tautan masuk produsen")
        verbose_name_plural = _("tautan masuk produsen")

    def __str__(self) -> str:
        return f"{self.producer} · {self.created_at:%Y-%m-%d %H:%M}"
