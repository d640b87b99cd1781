"""Gerakan Beli Produk NTT: who bought for the campaign, the agencies, the monthly target, quotations."""

from __future__ import annotations

import secrets

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from catalogue.campaign.nip import validate_nip
from catalogue.fields import WhatsAppField
from villages.models import Regency

from .orders import Order
from .products import Product


class AgencyKind(models.TextChoices):
    PROVINCIAL = "opd", _("Perangkat daerah Provinsi NTT")
    REGENCY_GOVERNMENT = "pemda", _("Pemerintah kabupaten/kota")
    OTHER = "lain", _("Instansi lain")


class Agency(models.Model):
    """A government body whose staff or finance office buys for the campaign (an OPD or a regency)."""

    name = models.CharField(_("nama instansi"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    kind = models.CharField(_("jenis"), max_length=5, choices=AgencyKind.choices)
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        help_text=_("Untuk pemerintah kabupaten/kota: wilayahnya."),
    )
    is_active = models.BooleanField(_("tampil di checkout"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        permissions = [("import_agency", _("Boleh mengimpor daftar instansi"))]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:170]
        super().save(*args, **kwargs)


class BuyerKind(models.TextChoices):
    PERSONAL = "pribadi", _("Pribadi")
    CIVIL_SERVANT = "asn", _("ASN (aparatur sipil negara)")
    AGENCY = "instansi", _("Instansi (pembelian dinas)")

    @property
    def counts_for_campaign(self) -> bool:
        return self != BuyerKind.PERSONAL


class CampaignPurchase(models.Model):
    """What makes an order a campaign purchase. Kept apart from Order: the NIP is personal data that only
    the order's own pages and the back office need."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="campaign")
    kind = models.CharField(_("pembeli"), max_length=8, choices=BuyerKind.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="purchases", verbose_name=_("instansi")
    )
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[validate_nip])
    official_name = models.CharField(_("nama pejabat"), max_length=120, blank=True)
    official_title = models.CharField(_("jabatan"), max_length=120, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("pembelian Gerakan")
        verbose_name_plural = _("pembelian Gerakan")

    def __str__(self) -> str:
        return f"{self.order} · {self.agency}"


class CampaignTarget(models.Model):
    """The province's purchase target for one month, set by Admin PMD."""

    month = models.DateField(_("bulan"), unique=True, help_text=_("Tanggal 1 bulan itu."))
    amount = models.PositiveBigIntegerField(_("target (Rp)"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["-month"]
        verbose_name = _("target Gerakan per bulan")
        verbose_name_plural = _("target Gerakan per bulan")

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")

    def save(self, *args, **kwargs) -> None:
        self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)


def new_quote_token() -> str:
    return secrets.token_urlsafe(24)


class QuoteStatus(models.TextChoices):
    REQUESTED = "diminta", _("Menunggu jawaban produsen")
    ANSWERED = "dijawab", _("Penawaran dikirim")
    ACCEPTED = "diterima", _("Diterima, menjadi pesanan")
    DECLINED = "ditolak", _("Tidak dapat dipenuhi")


class QuoteRequest(models.Model):
    """An agency asks a producer for a price for a bulk purchase (events, souvenirs)."""

    token = models.CharField(max_length=40, unique=True, default=new_quote_token, editable=False)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="quote_requests", verbose_name=_("produk")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="quote_requests", verbose_name=_("instansi")
    )
    quantity = models.PositiveIntegerField(_("jumlah"), validators=[MinValueValidator(1)])
    needed_by = models.DateField(_("dibutuhkan paling lambat"))
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota tujuan")
    )
    contact_name = models.CharField(_("narahubung"), max_length=120)
    contact_whatsapp = WhatsAppField(_("WhatsApp narahubung"))
    contact_email = models.EmailField(_("email narahubung"), blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=QuoteStatus.choices, default=QuoteStatus.REQUESTED
    )
    unit_price = models.PositiveIntegerField(_("harga satuan (Rp)"), null=True, blank=True)
    quantity_available = models.PositiveIntegerField(_("jumlah tersedia"), null=True, blank=True)
    available_on = models.DateField(_("siap tanggal"), null=True, blank=True)
    producer_note = models.TextField(_("catatan produsen"), blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    order = models.OneToOneField(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quote",
        verbose_name=_("pesanan"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permintaan penawaran")
        verbose_name_plural = _("permintaan penawaran")

    def __str__(self) -> str:
        return f"{self.agency} · {self.product} × {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:quote", kwargs={"token": self.token})

    @property
    def offer_total(self) -> int | None:
        if self.unit_price is None or self.quantity_available is None:
            return None
        return self.unit_price * self.quantity_available
