"""Orders, split per producer: a shopper who buys from three villages pays three producers."""

from __future__ import annotations

import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.fields import WhatsAppField
from villages.models import Regency

from .products import Producer, Product

# No 0/O, 1/I/L: an order number is read aloud over WhatsApp and the phone.
ORDER_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_access_token() -> str:
    return secrets.token_urlsafe(32)


def new_order_number(now=None) -> str:
    day = timezone.localdate(now).strftime("%Y%m%d")
    suffix = "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(4))
    return f"OVOP-{day}-{suffix}"


class Delivery(models.TextChoices):
    PICKUP = "ambil", _("Ambil di produsen")
    DELIVERY = "kirim", _("Dikirim")


class Payment(models.TextChoices):
    QRIS = "qris", _("QRIS")
    COD = "cod", _("Bayar saat ambil/terima")


class PartStatus(models.TextChoices):
    AWAITING_PAYMENT = "menunggu_pembayaran", _("Menunggu pembayaran")
    PAID = "dibayar", _("Dibayar")
    SHIPPED = "dikirim", _("Dikirim")
    READY = "siap_diambil", _("Siap diambil")
    DONE = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")

    @classmethod
    def next_allowed(cls, status: str) -> set[str]:
        """The statuses a part may move to from `status`; the admin actions obey this."""
        return {
            cls.AWAITING_PAYMENT: {cls.PAID, cls.SHIPPED, cls.READY, cls.CANCELLED},
            cls.PAID: {cls.SHIPPED, cls.READY, cls.CANCELLED},
            cls.SHIPPED: {cls.DONE, cls.CANCELLED},
            cls.READY: {cls.DONE, cls.CANCELLED},
            cls.DONE: set(),
            cls.CANCELLED: set(),
        }[status]


class OrderQuerySet(models.QuerySet):
    def with_parts(self) -> OrderQuerySet:
        return self.prefetch_related(
            models.Prefetch(
                "parts",
                queryset=OrderPart.objects.select_related("producer__village__district__regency")
                .prefetch_related("lines")
                .order_by("pk"),
            )
        )


class Order(models.Model):
    number = models.CharField(_("nomor pesanan"), max_length=24, unique=True, default=new_order_number)
    access_token = models.CharField(
        _("token akses"), max_length=64, unique=True, default=new_access_token, editable=False
    )
    checkout_key = models.CharField(
        _("kunci checkout"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("Kunci sekali pakai dari formulir checkout: mencegah pesanan ganda."),
    )
    buyer_name = models.CharField(_("nama"), max_length=120)
    buyer_whatsapp = WhatsAppField(_("WhatsApp"))
    buyer_email = models.EmailField(_("email"), blank=True)
    delivery = models.CharField(_("pengiriman"), max_length=5, choices=Delivery.choices)
    address = models.TextField(_("alamat"), blank=True)
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    note = models.TextField(_("catatan"), blank=True)
    payment = models.CharField(_("pembayaran"), max_length=4, choices=Payment.choices)
    total = models.PositiveBigIntegerField(_("total (Rp)"))
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pesanan")
        verbose_name_plural = _("pesanan")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("catalogue:order", kwargs={"token": self.access_token})


class OrderPartQuerySet(models.QuerySet):
    def unpaid_qris(self) -> OrderPartQuerySet:
        return self.filter(status=PartStatus.AWAITING_PAYMENT, order__payment=Payment.QRIS)

    def active(self) -> OrderPartQuerySet:
        return self.exclude(status=PartStatus.CANCELLED)


class OrderPart(models.Model):
    """What one producer must deliver and be paid for within an order."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="parts", verbose_name=_("pesanan")
    )
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="order_parts", verbose_name=_("produsen")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PartStatus.choices, default=PartStatus.AWAITING_PAYMENT
    )
    subtotal = models.PositiveBigIntegerField(_("subtotal (Rp)"))
    stock_returned = models.BooleanField(
        _("stok dikembalikan"),
        default=False,
        editable=False,
        help_text=_("Stok sudah dikembalikan (pembatalan)."),
    )
    status_changed_at = models.DateTimeField(_("status diubah"), default=timezone.now)

    objects = OrderPartQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("bagian pesanan (per produsen)")
        verbose_name_plural = _("bagian pesanan (per produsen)")
        constraints = [
            models.UniqueConstraint(fields=["order", "producer"], name="order_part_once_per_producer")
        ]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.producer.name}"


class OrderLine(models.Model):
    part = models.ForeignKey(
        OrderPart, on_delete=models.CASCADE, related_name="lines", verbose_name=_("bagian pesanan")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("produk")
    )
    product_name = models.CharField(_("produk"), max_length=140)
    unit = models.CharField(_("satuan"), max_length=60)
    unit_price = models.PositiveIntegerField(_("harga satuan (Rp)"))
    quantity = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("baris pesanan")
        verbose_name_plural = _("baris pesanan")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_qty_positive")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity
