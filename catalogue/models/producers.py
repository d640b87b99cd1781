"""Producers (village UMKM), and producers as users: each phone that signs in by link is a user with no
password and no staff flag, attached to one producer (``ProducerMember``); sign-in links are stored
only as a SHA-256 hash."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from catalogue import identifiers, images, qris
from catalogue.caching import PublicQuerySet
from catalogue.fields import ReencodedImageField, StrippedTextField, WhatsAppField
from villages import codes
from villages.models import Regency, Village


def kept_regency() -> models.ForeignKey:
    """The regency kept on a producer and on each of its products (Product.regency): never edited,
    set by their save() from the village's code. Not indexed alone: it is the first column of each
    model's listing index."""
    return models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        db_index=False,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )


class ProducerQuerySet(PublicQuerySet):
    def with_places(self) -> ProducerQuerySet:
        return self.select_related("village__district__regency")

    def in_regency(self, regency: Regency | str) -> ProducerQuerySet:
        return self.filter(regency=regency)


class Producer(models.Model):
    """A village UMKM: the business that makes and sells a product, and receives its payments."""

    name = models.CharField(_("nama UMKM"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="producers", verbose_name=_("desa lokus")
    )
    contact_person = models.CharField(_("narahubung"), max_length=120, blank=True)
    whatsapp = WhatsAppField(
        _("nomor WhatsApp"),
        blank=True,
        help_text=_("Contoh: 0812-3456-7890. Disimpan sebagai +6281234567890."),
    )
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Untuk tautan masuk dan pemberitahuan pesanan baru.")
    )
    nib = models.CharField(
        _("NIB"), max_length=13, blank=True, validators=[identifiers.validate_nib], help_text=_("13 angka.")
    )
    story = models.TextField(_("kisah"), blank=True)
    story_en = models.TextField(_("kisah (Inggris)"), blank=True)
    photo = ReencodedImageField(
        _("foto"), upload_to="produsen/%Y/", blank=True, validators=[images.validate_image_upload]
    )
    # The regency of its village, kept here (and on its products) for the listings that ask what is in
    # a regency, read from an index rather than by joining village and district (issue 17). Never
    # edited: save() derives it from the village's code, which begins with its regency's; a village
    # never changes regency (its code would change).
    regency = kept_regency()
    qris_payload = StrippedTextField(
        _("QRIS statis"),
        blank=True,
        validators=[qris.validate_static],
        help_text=_("Isi teks QRIS statis produsen (dimulai 000201). Dipakai untuk QRIS dinamis pesanan."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ProducerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("produsen (UMKM)")
        verbose_name_plural = _("produsen (UMKM)")
        # A regency page's producers, by name.
        indexes = [models.Index(fields=["regency", "name"], name="producer_regency_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:140]
        regency = codes.regency_of(self.village_id) if self.village_id else None
        moved = self.regency_id != regency and not self._state.adding
        self.regency_id = regency
        if moved and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "regency"}
        super().save(*args, **kwargs)
        if moved:
            # Its products are where it is (Product.regency).
            self.products.exclude(regency_id=regency).update(regency_id=regency)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:producer", kwargs={"slug": self.slug})

    @property
    def has_qris(self) -> bool:
        return bool(self.qris_payload)

    def whatsapp_link(self, text: str = "") -> str:
        return identifiers.whatsapp_link(self.whatsapp, text) if self.whatsapp else ""


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
