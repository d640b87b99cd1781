"""Admin for orders: PMD staff follow each order's parts (one per producer) and move them along.

Orders are never typed in or edited by hand: everything is read-only, and a part's status changes
only through the actions, which obey ``PartStatus.next_allowed`` and go through
``catalogue.orders.statuses``, so a cancellation returns its stock exactly once (also when expiry
cancels the same part at once).

Buyers' personal data (``BUYER_FIELDS``) is kept in one fieldset and one list column, so it can be
hidden from a group as a whole: members of ``BUYER_DATA_HIDDEN_FROM_GROUPS`` see orders without it.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.models import Order, OrderLine, OrderPart, PartStatus, Producer
from catalogue.money import format_rupiah

from .columns import ADMIN_PMD, PENDAMPING, ColumnsPerRole
from .filters import RegencyFilter

BUYER_FIELDS = ("buyer_name", "buyer_whatsapp", "buyer_email", "address", "regency", "note")
BUYER_DATA_HIDDEN_FROM_GROUPS = ("Mitra",)


def may_see_buyers(request: HttpRequest) -> bool:
    """Whether this staff user may see buyers' names, numbers and addresses (cached per request)."""
    user = request.user
    if user.is_superuser:
        return True
    cached = getattr(request, "_may_see_buyers", None)
    if cached is None:
        cached = not user.groups.filter(name__in=BUYER_DATA_HIDDEN_FROM_GROUPS).exists()
        request._may_see_buyers = cached
    return cached


# --- filters ---------------------------------------------------------------------------------------


class PartStatusFilter(admin.SimpleListFilter):
    title = _("status bagian pesanan")
    parameter_name = "status"
    path = "parts__status"

    def lookups(self, request, model_admin):
        return PartStatus.choices

    def queryset(self, request, queryset):
        if self.value() in PartStatus.values:
            return queryset.filter(**{self.path: self.value()}).distinct()
        return queryset


class ProducerFilter(admin.SimpleListFilter):
    title = _("produsen")
    parameter_name = "produsen"
    path = "parts__producer__slug"

    def lookups(self, request, model_admin):
        return list(Producer.objects.order_by("name").values_list("slug", "name"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.path: self.value()}).distinct()
        return queryset


class OrderRegencyFilter(RegencyFilter):
    """The producer's regency (where the goods come from)."""

    title = _("kabupaten/kota produsen")
    regency_path = "parts__producer__village__district__regency"

    def queryset(self, request, queryset):
        return super().queryset(request, queryset).distinct() if self.value() else queryset


class PartOnlyStatusFilter(PartStatusFilter):
    path = "status"


class PartProducerFilter(ProducerFilter):
    path = "producer__slug"


class PartRegencyFilter(RegencyFilter):
    title = _("kabupaten/kota produsen")


# --- actions: move parts along their statuses -----------------------------------------------------


def _move(modeladmin, request: HttpRequest, parts: QuerySet[OrderPart], status: str) -> None:
    label = PartStatus(status).label
    moved = skipped = 0
    for part in parts.select_related("order", "producer"):
        if part.move(to=status, by=request.user):
            moved += 1
            modeladmin.log_change(
                request,
                part.order,
                _("%(producer)s: %(status)s") % {"producer": part.producer, "status": label},
            )
        else:
            skipped += 1
    if moved:
        messages.success(
            request,
            ngettext(
                "%(count)d bagian pesanan diubah menjadi “%(status)s”.",
                "%(count)d bagian pesanan diubah menjadi “%(status)s”.",
                moved,
            )
            % {"count": moved, "status": label},
        )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)d bagian pesanan dilewati: dari statusnya sekarang tidak bisa menjadi “%(status)s”.",
                "%(count)d bagian pesanan dilewati: dari statusnya sekarang tidak bisa menjadi “%(status)s”.",
                skipped,
            )
            % {"count": skipped, "status": label},
        )


def _status_action(status: str, description: str):
    def action(modeladmin, request, queryset):
        _move(modeladmin, request, modeladmin.parts_of(queryset), status)

    action.__name__ = f"to_{status}"
    return admin.action(description=description, permissions=["change"])(action)


STATUS_ACTIONS = [
    _status_action(PartStatus.PAID, _("Tandai dibayar")),
    _status_action(PartStatus.SHIPPED, _("Tandai dikirim")),
    _status_action(PartStatus.READY, _("Tandai siap diambil")),
    _status_action(PartStatus.DONE, _("Tandai selesai")),
    _status_action(PartStatus.CANCELLED, _("Batalkan (stok dikembalikan)")),
]


# --- orders ----------------------------------------------------------------------------------------


class OrderPartInline(admin.TabularInline):
    model = OrderPart
    fields = [
        "producer",
        "status",
        "subtotal_display",
        "lines_summary",
        "status_changed_at",
        "stock_back",
    ]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("producer")
            .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
        )

    @admin.display(description=_("subtotal"))
    def subtotal_display(self, part: OrderPart) -> str:
        return format_rupiah(part.subtotal)

    @admin.display(description=_("stok dikembalikan"))
    def stock_back(self, part: OrderPart) -> str:
        """Words, not the admin's red ✖ (which reads like an error): stock comes back on cancelling."""
        if part.stock_returned:
            return _("Ya, stok sudah kembali")
        return _("Belum (dibatalkan)") if part.status == PartStatus.CANCELLED else "—"

    @admin.display(description=_("baris pesanan"))
    def lines_summary(self, part: OrderPart) -> str:
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} × {} ({}) @ {}</li>",
                (
                    (line.quantity, line.product_name, line.unit, format_rupiah(line.unit_price))
                    for line in part.lines.all()
                ),
            ),
        )


@admin.register(Order)
class OrderAdmin(ColumnsPerRole, admin.ModelAdmin):
    list_display = ["number", "created_at", "buyer_name", "how", "total_display", "statuses"]
    # Field officers read orders to help their producers deliver: who and where to, not the money.
    list_display_per_role = {
        ADMIN_PMD: list_display,
        PENDAMPING: ["number", "created_at", "buyer_name", "regency", "statuses"],
    }
    list_select_related = ["regency"]
    list_filter = [PartStatusFilter, OrderRegencyFilter, ProducerFilter, "payment", "delivery", "created_at"]
    search_fields = ["number", "buyer_name"]
    search_help_text = _("Cari nomor pesanan atau nama pembeli.")
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = [OrderPartInline]
    actions = STATUS_ACTIONS
    fieldsets = [
        (None, {"fields": ["number", "created_at", "payment", "delivery", "total_display", "order_page"]}),
        (_("Pembeli (data pribadi)"), {"fields": list(BUYER_FIELDS)}),
    ]
    readonly_fields = [
        "number",
        "created_at",
        "payment",
        "delivery",
        "total_display",
        "order_page",
        *BUYER_FIELDS,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("parts", queryset=OrderPart.objects.select_related("producer").order_by("pk"))
            )
        )

    @staticmethod
    def parts_of(orders: QuerySet[Order]) -> QuerySet[OrderPart]:
        return OrderPart.objects.filter(order__in=orders).order_by("pk")

    # Personal data: shown only to those who may see it.

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        return fields if may_see_buyers(request) else [f for f in fields if f not in BUYER_FIELDS]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if may_see_buyers(request) else [f for f in fields if f not in BUYER_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_see_buyers(request):
            return fieldsets
        return [
            (name, options) for name, options in fieldsets if not set(options["fields"]) & set(BUYER_FIELDS)
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if may_see_buyers(request) else [f for f in fields if f not in BUYER_FIELDS]

    # Orders come from the checkout only; a cancellation (not a deletion) returns the stock.

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, order: Order) -> str:
        return format_rupiah(order.total)

    @admin.display(description=_("bayar · terima"))
    def how(self, order: Order) -> str:
        return f"{order.get_payment_display()} · {order.get_delivery_display()}"

    @admin.display(description=_("status per produsen"))
    def statuses(self, order: Order) -> str:
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            ((part.producer.name, part.get_status_display()) for part in order.parts.all()),
        )

    @admin.display(description=_("halaman pesanan"))
    def order_page(self, order: Order) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', order.get_absolute_url(), _("Buka")
        )
