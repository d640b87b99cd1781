"""Every URL the admin registers, generated from `admin.site` and each ModelAdmin's `get_urls()`,
and every staff page of the catalogue, filled in with real objects: admin pages added later are
walked by themselves. A URL parameter the walker does not know fails loudly instead of being skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLResolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from catalogue.models import (
    Agency,
    AgencyKind,
    BuyerKind,
    CampaignPurchase,
    CampaignTarget,
    Curation,
    FileDownload,
    Order,
    QuoteRequest,
    ShippingRate,
    Stage,
    StageKind,
    StageStatus,
)
from catalogue.urls import dashboard as dashboard_urls
from tests import factories
from tests.catalogue import backoffice
from villages.models import SelectionWeights

# Planted buyer data: unique strings that appear nowhere else in the database or the templates.
BUYER_NAME = "Yohanes Kewuan Qxzv"
BUYER_PHONE = "+6281377771234"
BUYER_EMAIL = "yohanes.qxzv@contoh.id"
BUYER_ADDRESS = "Jalan Rahasia Qxzv Nomor 9"
BUYER_NIP = "197705172003121004"
BUYER_DATA = {
    "name": BUYER_NAME,
    "phone": BUYER_PHONE,
    "phone digits": "81377771234",  # however the number is formatted (0813-7777-1234, 62813…)
    "email": BUYER_EMAIL,
    "address": BUYER_ADDRESS,
    "NIP": BUYER_NIP,
}


@dataclass(frozen=True)
class Page:
    what: str
    url: str


def plant_one_of_everything() -> dict:
    """A product with an image, a finished stage with evidence, a certificate with a scan, and an
    order carrying the planted buyer data; returns the objects the walker fills URLs with."""
    product = factories.product()
    factories.product_image(product)
    stage = Stage.objects.get(product=product, kind=StageKind.MAPPING)
    stage.change_status(to=StageStatus.DONE, by=None)
    stage.evidence.save("peta.pdf", ContentFile(backoffice.pdf_bytes()), save=True)
    cert = backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=timezone.localdate())
    cert.scan.save("halal.pdf", ContentFile(backoffice.pdf_bytes()), save=True)
    backoffice.staff(backoffice.PENDAMPING, username="petugas-lain")
    backoffice.sign_in_records()
    backoffice.task_result()
    FileDownload.record(user=backoffice.staff(backoffice.MITRA), path=cert.scan.name)
    order = backoffice.order([(product, 1)])
    Order.objects.filter(pk=order.pk).update(
        buyer_name=BUYER_NAME,
        buyer_whatsapp=BUYER_PHONE,
        buyer_email=BUYER_EMAIL,
        address=BUYER_ADDRESS,
        delivery="kirim",
    )
    plant_campaign_and_portal(product, order)
    Curation.objects.create(product=product)
    factories.candidate()
    SelectionWeights.current()
    return {"product": product, "stage": stage, "certificate": cert, "order": order}


def plant_campaign_and_portal(product, order) -> None:
    """A shipping rate, a campaign purchase with a NIP, a monthly target and a quotation request whose
    contact is the planted buyer (a quotation's contact is a buyer's personal data too)."""
    regency = product.producer.village.district.regency
    ShippingRate.objects.create(producer=product.producer, regency=regency, price=15_000)
    agency = Agency.objects.create(name="Dinas Uji Provinsi NTT", kind=AgencyKind.PROVINCIAL)
    CampaignPurchase.objects.create(order=order, kind=BuyerKind.CIVIL_SERVANT, agency=agency, nip=BUYER_NIP)
    CampaignTarget.objects.create(month=timezone.localdate(), amount=1_000_000)
    QuoteRequest.objects.create(
        product=product,
        agency=agency,
        quantity=100,
        needed_by=timezone.localdate(),
        regency=regency,
        contact_name=BUYER_NAME,
        contact_whatsapp=BUYER_PHONE,
        contact_email=BUYER_EMAIL,
    )


_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _fill_route(route: str, values: dict[str, str], where: str) -> str:
    def replace(match: re.Match) -> str:
        name = match["name"]
        if name not in values:
            raise AssertionError(f"the admin walker does not know the URL parameter {name!r} of {where}")
        return str(values[name])

    return _PARAM.sub(replace, route)


def _expand(prefix: str, entry, values: dict[str, str], where: str) -> list[str]:
    """Concrete paths for one URL pattern (a regex pattern with named groups gets each choice)."""
    pattern = entry.pattern
    if isinstance(pattern, RoutePattern):
        return [prefix + _fill_route(str(pattern), values, where)]
    assert isinstance(pattern, RegexPattern)
    regex = pattern.regex
    if not regex.groupindex:
        return [prefix + pattern._route.lstrip("^").rstrip("$")]
    if "app_label" in regex.groupindex:
        return [prefix + f"{label}/" for label in sorted({m._meta.app_label for m in admin.site._registry})]
    if "url" in regex.groupindex:  # the admin's final catch-all
        return [prefix + "tidak-ada/"]
    raise AssertionError(f"the admin walker cannot fill the regex {regex.pattern!r} of {where}")


def admin_pages() -> list[Page]:
    """Each admin URL as a (label, path) pair; ModelAdmin URLs are filled with the first object of
    their model, the "view on site" shortcut with every registered model that has a public address."""
    prefix = "/admin/"
    pages: list[Page] = []
    models_by_prefix = {
        f"{model._meta.app_label}/{model._meta.model_name}/": model for model in admin.site._registry
    }
    for entry in admin.site.get_urls():
        if isinstance(entry, URLResolver):
            model = models_by_prefix[str(entry.pattern)]
            obj = model._default_manager.order_by("pk").first()
            assert obj is not None, f"the walker needs one {model._meta.label} (plant_one_of_everything)"
            for sub in entry.url_patterns:
                where = f"{model._meta.label} {sub.pattern}"
                values = {"object_id": obj.pk, "id": obj.pk}
                for url in _expand(prefix + str(entry.pattern), sub, values, where):
                    pages.append(Page(f"{model._meta.label}: {sub.name or sub.pattern}", url))
        elif entry.name == "view_on_site":
            for model in admin.site._registry:
                obj = model._default_manager.order_by("pk").first()
                if obj is not None and hasattr(obj, "get_absolute_url"):
                    content_type = ContentType.objects.get_for_model(model)
                    values = {"content_type_id": content_type.pk, "object_id": obj.pk}
                    url = _expand(prefix, entry, values, "view_on_site")[0]
                    pages.append(Page(f"view_on_site {model._meta.label}", url))
        elif entry.name == "autocomplete":
            pages += autocomplete_pages(prefix + str(entry.pattern))
        else:
            for url in _expand(prefix, entry, {}, entry.name or str(entry.pattern)):
                pages.append(Page(f"admin {entry.name or entry.pattern}", url))
    return pages


def autocomplete_pages(address: str) -> list[Page]:
    """The autocomplete endpoint bare, and for every autocomplete field of every ModelAdmin, with a
    search term taken from the planted buyer's name (and empty: the first page of results)."""
    pages = [Page("admin autocomplete", address)]
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            query = urlencode(
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field_name,
                }
            )
            pages.append(Page(f"autocomplete {model._meta.label}.{field_name}", f"{address}?{query}"))
            term = urlencode({"term": BUYER_NAME.split()[0]})
            pages.append(Page(f"autocomplete {model._meta.label}.{field_name}", f"{address}?{query}&{term}"))
    return pages


def staff_pages(objects: dict) -> list[Page]:
    """The catalogue's back-office pages outside the admin (`/dasbor/…`), from their URL module."""
    values = {
        "fmt": "csv",
        "slug": objects["product"].slug,
        "path": objects["certificate"].scan.name,
    }
    pages = [
        Page(f"staff {entry.name}", "/" + _fill_route(str(entry.pattern), values, entry.name))
        for entry in dashboard_urls.urlpatterns
    ]
    pages.append(Page("staff evidence", f"/dasbor/berkas/{objects['stage'].evidence.name}"))
    return pages
