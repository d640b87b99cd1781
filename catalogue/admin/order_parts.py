"""An order part's admin: the list of what each producer still has to deliver, and the part's own
page with its payment (reference, who confirmed it and when), its timeline, and one button per move
its status allows. Every move goes through `OrderPart.move` (one event, stock back once on cancel)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from catalogue.models import OrderPart, PartStatus
from catalogue.money import format_rupiah
from ovop import formats

from .columns import ADMIN_PMD, PENDAMPING, ColumnsPerRole
from .orders import (
    STATUS_ACTIONS,
    OrderPartInline,
    PartOnlyStatusFilter,
    PartProducerFilter,
    PartRegencyFilter,
)


@admin.register(OrderPart)
class OrderPartAdmin(ColumnsPerRole, admin.ModelAdmin):
    """Parts across orders: what each producer still has to deliver. A part's own page shows its
    payment (reference, who confirmed it and when) and its timeline, with one button per move its
    status allows; every move goes through `OrderPart.move` (one event, stock back once on cancel)."""

    list_display = ["number", "producer", "status", "amount_display", "status_changed_at"]
    # Field officers see what each producer has to send; the money is Admin PMD's to confirm.
    list_display_per_role = {
        ADMIN_PMD: list_display,
        PENDAMPING: ["number", "producer", "status", "lines_summary", "status_changed_at"],
    }
    list_display_links = ["number"]
    list_select_related = ["order", "producer"]
    list_filter = [PartOnlyStatusFilter, PartRegencyFilter, PartProducerFilter, "order__payment"]
    search_fields = ["order__number", "producer__name"]
    search_help_text = _("Cari nomor pesanan atau nama produsen.")
    list_per_page = 50
    actions = STATUS_ACTIONS
    change_form_template = "admin/catalogue/orderpart/change_form.html"
    fieldsets = [
        (None, {"fields": ["order", "producer", "status", "status_changed_at", "stock_back"]}),
        (
            _("Isi dan tagihan"),
            {"fields": ["lines_summary", "subtotal_display", "shipping_display", "amount_display"]},
        ),
        (_("Pembayaran"), {"fields": ["payment_reference", "paid_confirmed_by", "paid_at"]}),
        (_("Riwayat status"), {"fields": ["timeline"]}),
    ]
    readonly_fields = [
        "order",
        "producer",
        "status",
        "status_changed_at",
        "stock_back",
        "lines_summary",
        "subtotal_display",
        "shipping_display",
        "amount_display",
        "payment_reference",
        "paid_confirmed_by",
        "paid_at",
        "timeline",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines")

    @staticmethod
    def parts_of(parts: QuerySet[OrderPart]) -> QuerySet[OrderPart]:
        return parts

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    subtotal_display = OrderPartInline.subtotal_display
    lines_summary = OrderPartInline.lines_summary
    stock_back = OrderPartInline.stock_back

    @admin.display(description=_("pesanan"), ordering="order__number")
    def number(self, part: OrderPart) -> str:
        return part.order.number

    @admin.display(description=_("ongkos kirim"))
    def shipping_display(self, part: OrderPart) -> str:
        return format_rupiah(part.shipping)

    @admin.display(description=_("tagihan"), ordering="subtotal")
    def amount_display(self, part: OrderPart) -> str:
        return format_rupiah(part.amount_due)

    @admin.display(description=_("riwayat"))
    def timeline(self, part: OrderPart) -> str:
        events = part.events.select_related("actor").order_by("at", "pk")
        rows = format_html_join(
            "",
            "<li><strong>{}</strong> · {} · {}{}{}</li>",
            (
                (
                    formats.moment(event.at),
                    event_move(event),
                    event_actor(event),
                    format_html(" · {} {}", _("ref."), event.reference) if event.reference else "",
                    format_html(' · <span class="status-note">{}</span>', event.note) if event.note else "",
                )
                for event in events
            ),
        )
        return format_html('<ol class="timeline">{}</ol>', rows) if rows else _("Belum ada perubahan status.")

    # --- the part's own page: one button per allowed move ----------------------------------------

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/pindah/",
                self.admin_site.admin_view(self.move_view),
                name="catalogue_orderpart_move",
            )
        ]
        return extra + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        part = self.get_object(request, object_id)
        context = {**(extra_context or {})}
        if part is not None and self.has_change_permission(request, part):
            context["moves"] = [
                PartStatus(status)
                for status in PartStatus.values
                if status in PartStatus.next_allowed(part.status)
            ]
            context["paid_status"] = PartStatus.PAID
        return super().change_view(request, object_id, form_url, extra_context=context)

    def move_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        part = self.get_object(request, object_id)
        if part is None:
            raise Http404(_("Bagian pesanan tidak ditemukan."))
        if not self.has_change_permission(request, part):
            raise PermissionDenied
        form = PartMoveForm(request.POST)
        change_url = reverse(
            "admin:catalogue_orderpart_change", args=[part.pk], current_app=self.admin_site.name
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(change_url)
        to = form.cleaned_data["to"]
        moved = part.move(
            to=to, by=request.user, note=form.cleaned_data["note"], reference=form.cleaned_data["reference"]
        )
        if moved:
            self.log_change(
                request, part, _("Status menjadi “%(status)s”.") % {"status": PartStatus(to).label}
            )
            messages.success(request, _("Status menjadi “%(status)s”.") % {"status": PartStatus(to).label})
        else:
            messages.warning(
                request,
                _("Tidak diubah: dari “%(now)s” tidak bisa menjadi “%(to)s” (mungkin baru diubah).")
                % {"now": part.get_status_display(), "to": PartStatus(to).label},
            )
        return HttpResponseRedirect(change_url)


class PartMoveForm(forms.Form):
    to = forms.ChoiceField(
        choices=PartStatus.choices, error_messages={"invalid_choice": _("Status tujuan tidak dikenal.")}
    )
    reference = forms.CharField(max_length=64, required=False, strip=True)
    note = forms.CharField(max_length=2000, required=False, strip=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == PartStatus.PAID and not cleaned.get("reference"):
            self.add_error(
                "reference", _("Isi referensi pembayaran dari aplikasi bank sebelum menandai dibayar.")
            )
        return cleaned


def event_move(event) -> str:
    start = PartStatus(event.from_status).label if event.from_status else "—"
    return f"{start} → {PartStatus(event.to_status).label}"


def event_actor(event) -> str:
    who = event.actor.get_username() if event.actor else ""
    kind = event.get_actor_label_display()
    return _("oleh %(who)s (%(kind)s)") % {"who": who, "kind": kind} if who else kind
