"""Orders, split per producer: a shopper who buys from three villages pays three producers."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue import identifiers
from catalogue.fields import WhatsAppField
from catalogue.money import format_rupiah
from villages.models import Regency

from .producers import ProducerMember
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
    AWAITING_QUOTE = "menunggu_ongkir", _("Menunggu ongkos kirim")
    AWAITING_PAYMENT = "menunggu_pembayaran", _("Menunggu pembayaran")
    AWAITING_CONFIRMATION = "menunggu_konfirmasi", _("Menunggu konfirmasi produsen")
    PAID = "dibayar", _("Dibayar")
    SHIPPED = "dikirim", _("Dikirim")
    READY = "siap_diambil", _("Siap diambil")
    DONE = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")

    @classmethod
    def first_for(cls, payment: str, *, needs_quote: bool = False) -> PartStatus:
        """Where a new part starts: a delivery with no shipping rate waits for the producer's quote;
        QRIS parts wait for the payment, cash parts (paid on pickup or delivery) for the producer
        or an officer to confirm them."""
        if needs_quote:
            return cls.AWAITING_QUOTE
        return cls.AWAITING_CONFIRMATION if payment == Payment.COD else cls.AWAITING_PAYMENT

    @classmethod
    def next_allowed(cls, status: str) -> set[str]:
        """The statuses a part may move to from `status`; the admin actions obey this.

        A cash part is confirmed by moving it to `siap_diambil` or `dikirim`; it is paid on `selesai`.
        """
        return {
            cls.AWAITING_QUOTE: {cls.AWAITING_PAYMENT, cls.AWAITING_CONFIRMATION, cls.CANCELLED},
            cls.AWAITING_PAYMENT: {cls.PAID, cls.SHIPPED, cls.READY, cls.CANCELLED},
            cls.AWAITING_CONFIRMATION: {cls.READY, cls.SHIPPED, cls.CANCELLED},
            cls.PAID: {cls.SHIPPED, cls.READY, cls.CANCELLED},
            cls.SHIPPED: {cls.DONE, cls.CANCELLED},
            cls.READY: {cls.DONE, cls.CANCELLED},
            cls.DONE: set(),
            cls.CANCELLED: set(),
        }[status]

    @property
    def waits_on_producer(self) -> bool:
        """The next step is the producer's (confirm a payment, quote shipping, prepare or ship)."""
        return self in {PartStatus.AWAITING_QUOTE, PartStatus.AWAITING_CONFIRMATION, PartStatus.PAID}


#: A part in one of these holds stock while nobody has done anything with it yet.
OPEN_STATUSES = (PartStatus.AWAITING_PAYMENT, PartStatus.AWAITING_CONFIRMATION, PartStatus.AWAITING_QUOTE)


class OrderQuerySet(models.QuerySet):
    def confirmed_by_email_to(self, email: str, *, since: datetime) -> OrderQuerySet:
        """Orders whose confirmation email went to ``email`` (any letter case) after ``since``."""
        return self.filter(buyer_email__iexact=email, confirmation_sent_at__gt=since)

    def open_for(self, whatsapp: str) -> OrderQuerySet:
        """Orders of this (normalised) WhatsApp number with a part still unpaid or unconfirmed."""
        return self.filter(buyer_whatsapp=whatsapp, parts__status__in=OPEN_STATUSES).distinct()

    def with_parts(self) -> OrderQuerySet:
        return self.prefetch_related(
            models.Prefetch(
                "parts",
                queryset=OrderPart.objects.select_related("producer__village__district__regency")
                .prefetch_related(
                    "lines", models.Prefetch("events", queryset=OrderEvent.objects.order_by("at", "pk"))
                )
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
    confirmation_sent_at = models.DateTimeField(
        _("konfirmasi email terkirim"), null=True, blank=True, editable=False
    )

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pesanan")
        verbose_name_plural = _("pesanan")
        indexes = [models.Index(fields=["buyer_whatsapp"], name="order_buyer_whatsapp")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("catalogue:order", kwargs={"token": self.access_token})

    def buyer_whatsapp_link(self) -> str:
        """A wa.me link to the buyer, for the producer of one of this order's parts."""
        text = _("Halo %(name)s, tentang pesanan %(number)s di Beli Produk NTT.") % {
            "name": self.buyer_name,
            "number": self.number,
        }
        return identifiers.whatsapp_link(self.buyer_whatsapp, text)

    def payment_deadline(self) -> datetime:
        """Until when a QRIS part may be paid; `expire_orders` cancels what is still unpaid then."""
        return self.created_at + timedelta(hours=settings.ORDER_PAYMENT_HOURS)


class OrderPartQuerySet(models.QuerySet):
    def unpaid_qris(self) -> OrderPartQuerySet:
        return self.filter(status=PartStatus.AWAITING_PAYMENT, order__payment=Payment.QRIS)

    def unconfirmed_cash(self) -> OrderPartQuerySet:
        return self.filter(status=PartStatus.AWAITING_CONFIRMATION)

    def of_producer(self, producer: Producer | int) -> OrderPartQuerySet:
        return self.filter(producer=producer)

    def waiting_on_producer(self, *, since: datetime) -> OrderPartQuerySet:
        """Parts whose next step is the producer's and that have not moved since ``since``."""
        waiting = [status for status in PartStatus if status.waits_on_producer]
        return self.filter(status__in=waiting, status_changed_at__lte=since)

    def for_portal(self) -> OrderPartQuerySet:
        """Everything the producer portal shows of a part: order, region, lines, events."""
        return self.select_related("order__regency").prefetch_related(
            "lines", models.Prefetch("events", queryset=OrderEvent.objects.order_by("at", "pk"))
        )


class ActorKind(models.TextChoices):
    PRODUCER = "produsen", _("Produsen")
    OFFICER = "petugas", _("Petugas PMD")
    SYSTEM = "sistem", _("Sistem")

    @classmethod
    def for_user(cls, user) -> ActorKind:
        if user is None:
            return cls.SYSTEM
        return cls.PRODUCER if ProducerMember.objects.filter(user=user).exists() else cls.OFFICER


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
    shipping = models.PositiveBigIntegerField(
        _("ongkos kirim (Rp)"), default=0, help_text=_("Tarif produsen ke kabupaten/kota pembeli.")
    )
    stock_returned = models.BooleanField(
        _("stok dikembalikan"),
        default=False,
        editable=False,
        help_text=_("Stok sudah dikembalikan (pembatalan)."),
    )
    status_changed_at = models.DateTimeField(_("status diubah"), default=timezone.now)
    payment_reference = models.CharField(
        _("referensi pembayaran"), max_length=64, blank=True, help_text=_("Nomor referensi di aplikasi bank.")
    )
    paid_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pembayaran dikonfirmasi oleh"),
    )
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)

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

    @property
    def amount_due(self) -> int:
        """What the buyer pays this producer: the goods and the shipping."""
        return self.subtotal + self.shipping

    def move(
        self,
        *,
        to: str,
        by=None,
        note: str = "",
        reference: str = "",
        courier: str = "",
        tracking: str = "",
        only_from: Iterable[str] | None = None,
        actor_label: str | None = None,
        shipping: int | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Move this part to ``to``: the one writer of a part's status.

        Locks the row, re-reads the status and refuses (returns False, writes nothing) unless
        ``PartStatus.next_allowed`` permits the move (and the status is in ``only_from`` when given:
        expiry cancels only unpaid parts, never one a producer has just confirmed). Writes one
        :class:`OrderEvent`; a cancellation gives the stock back exactly once. ``by`` is the user
        acting (None for the system); ``shipping`` sets the quoted shipping on the way.
        """
        to = PartStatus(to)
        now = now or timezone.now()
        with transaction.atomic():
            locked = OrderPart.objects.select_for_update().get(pk=self.pk)
            if to not in PartStatus.next_allowed(locked.status) or (
                only_from is not None and locked.status not in set(only_from)
            ):
                self.status = locked.status
                return False
            from_status = locked.status
            changes: dict = {"status": to, "status_changed_at": now}
            if to == PartStatus.PAID:
                changes |= {"paid_at": now, "paid_confirmed_by": by, "payment_reference": reference[:64]}
            if shipping is not None:
                changes["shipping"] = shipping
            for field, value in changes.items():
                setattr(locked, field, value)
            locked.save(update_fields=list(changes))
            if to == PartStatus.CANCELLED:
                locked.return_stock()
            OrderEvent.objects.create(
                part=locked,
                from_status=from_status,
                to_status=to,
                actor=by,
                actor_label=actor_label or ActorKind.for_user(by),
                at=now,
                note=note,
                reference=reference[:64],
                courier=courier[:60],
                tracking=tracking[:60],
            )
        for field in (*changes, "stock_returned"):
            setattr(self, field, getattr(locked, field))
        return True

    def producer_moves(self) -> list[PartStatus]:
        """The moves a producer is offered from here: what ``next_allowed`` permits, minus the
        payment step (only a shipping quote goes there) and the hand-over that does not fit the
        delivery (a pickup is never shipped, a delivery never waits for pickup)."""
        skip = {PartStatus.AWAITING_PAYMENT, PartStatus.AWAITING_CONFIRMATION}
        skip.add(PartStatus.READY if self.order.delivery == Delivery.DELIVERY else PartStatus.SHIPPED)
        return [status for status in PartStatus if status in PartStatus.next_allowed(self.status) - skip]

    def status_after_quote(self) -> PartStatus:
        """Where a part goes once its shipping is known: the buyer pays by QRIS, or the producer
        confirms a cash part."""
        return PartStatus.first_for(self.order.payment)

    def quote_shipping(self, *, shipping: int, by=None) -> bool:
        """Set the shipping of a part waiting for a quote and move it on; the order total follows."""
        with transaction.atomic():
            moved = self.move(
                to=self.status_after_quote(),
                by=by,
                shipping=shipping,
                only_from={PartStatus.AWAITING_QUOTE},
                note=_("Ongkos kirim %(amount)s") % {"amount": format_rupiah(shipping)},
            )
            if moved:
                Order.objects.filter(pk=self.order_id).update(total=F("total") + shipping)
        return moved

    def return_stock(self) -> bool:
        """Give the lines' quantities back to stock, once: only the caller whose conditional UPDATE
        flips ``stock_returned`` does it, however many race. Returns whether this call did."""
        if not OrderPart.objects.filter(pk=self.pk, stock_returned=False).update(stock_returned=True):
            return False
        self.stock_returned = True
        for product_id, quantity in (
            OrderLine.objects.filter(part=self).order_by("product_id").values_list("product_id", "quantity")
        ):
            # The product's QuerySet bumps the public pages' cache version (catalogue/caching.py).
            Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
        return True

    def bill_number(self, *, index: int | None = None) -> str:
        """The bill number carried by this part's dynamic QRIS (tag 62, sub-tag 01): the order number
        and the part's place in the order (``index``, counted when not given), e.g.
        ``OVOP-20261129-AB3K-2``, at most 25 characters."""
        if index is None:
            index = OrderPart.objects.filter(order_id=self.order_id, pk__lte=self.pk).count()
        return f"{self.order.number}-{index}"[:25]

    @property
    def waits_for_quote(self) -> bool:
        return self.status == PartStatus.AWAITING_QUOTE

    def payment_hint(self) -> str:
        """How a cash part is paid: on pickup or when the goods arrive."""
        if self.order.payment != Payment.COD:
            return ""
        if self.order.delivery == Delivery.DELIVERY:
            return _("Bayar saat barang tiba")
        return _("Bayar saat ambil")


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


class OrderEvent(models.Model):
    """One status change of a part: who moved it, when, from where to where, and what they noted."""

    part = models.ForeignKey(
        OrderPart, on_delete=models.CASCADE, related_name="events", verbose_name=_("bagian pesanan")
    )
    from_status = models.CharField(_("dari"), max_length=20, choices=PartStatus.choices, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=20, choices=PartStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    actor_label = models.CharField(_("pelaku"), max_length=10, choices=ActorKind.choices)
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    note = models.TextField(_("catatan"), blank=True)
    reference = models.CharField(_("referensi"), max_length=64, blank=True)
    courier = models.CharField(_("kurir"), max_length=60, blank=True)
    tracking = models.CharField(_("nomor resi"), max_length=60, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")

    def __str__(self) -> str:
        return f"{self.part_id}: {self.from_status} → {self.to_status}"


class ShippingRateQuerySet(models.QuerySet):
    def rate_for(self, producer: Producer | int, regency: Regency | int | None) -> ShippingRate | None:
        if regency is None:
            return None
        return self.filter(producer=producer, regency=regency).first()


class ShippingRate(models.Model):
    """What a producer charges to send a parcel to a regency: the part's shipping line."""

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="shipping_rates", verbose_name=_("produsen")
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota tujuan")
    )
    price = models.PositiveIntegerField(_("ongkos kirim (Rp)"), help_text=_("Rupiah utuh."))
    eta_days = models.PositiveSmallIntegerField(_("perkiraan lama kirim (hari)"), default=3)

    objects = ShippingRateQuerySet.as_manager()

    class Meta:
        ordering = ["producer", "regency__name"]
        verbose_name = _("tarif ongkos kirim")
        verbose_name_plural = _("tarif ongkos kirim")
        constraints = [
            models.UniqueConstraint(fields=["producer", "regency"], name="shipping_rate_once_per_regency")
        ]

    def __str__(self) -> str:
        return f"{self.producer} → {self.regency}"
