"""The producer portal in the back office: sign-in links sent by an officer, producers' users,
shipping rates (also editable by producers at /produsen/ongkir/) and each part's status history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from catalogue.models import OrderEvent, ProducerMember, ShippingRate
from catalogue.producers import links


@admin.action(description=_("Kirim tautan masuk"), permissions=["change"])
def send_login_link(modeladmin, request: HttpRequest, queryset) -> TemplateResponse:
    """One fresh one-time link per selected producer, shown with a wa.me link carrying the message."""
    rows = []
    for producer in queryset.order_by("name"):
        url = links.issue(producer, contact=producer.whatsapp)
        rows.append({"producer": producer, "url": url, "whatsapp": links.whatsapp_share_link(producer, url)})
        modeladmin.log_change(request, producer, _("Tautan masuk produsen dibuat."))
    return TemplateResponse(
        request,
        "admin/catalogue/producer/login_links.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Tautan masuk produsen"),
            "opts": modeladmin.model._meta,
            "rows": rows,
            "minutes": settings.PRODUCER_LINK_MINUTES,
        },
    )


class ShippingRateInline(admin.TabularInline):
    model = ShippingRate
    fields = ["regency", "price", "eta_days"]
    autocomplete_fields = ["regency"]
    extra = 0


class ProducerMemberInline(admin.TabularInline):
    model = ProducerMember
    fields = ["contact", "user", "created_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = True  # an officer removes a lost phone's access


@admin.register(ShippingRate)
class ShippingRateAdmin(admin.ModelAdmin):
    list_display = ["producer", "regency", "price", "eta_days"]
    list_select_related = ["producer", "regency"]
    list_filter = ["regency"]
    search_fields = ["producer__name", "regency__name"]
    autocomplete_fields = ["producer", "regency"]


class OrderEventInline(admin.TabularInline):
    """A part's status history: read-only, written only by OrderPart.move()."""

    model = OrderEvent
    fields = [
        "at",
        "from_status",
        "to_status",
        "actor_label",
        "actor",
        "note",
        "reference",
        "courier",
        "tracking",
    ]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")
