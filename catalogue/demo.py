"""The demo programme: 22 regencies, 44 locus villages, 44 producers and their products, with
candidates for the next cohort and a few products' stars (demo_selection.py).

Loading is idempotent (keyed by Kemendagri code and slug), so `make run` twice duplicates nothing.
Product images are illustrations drawn with Pillow (catalogue/illustrations.py), not downloaded.
"""

from __future__ import annotations

import csv
import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from catalogue import demo_selection, identifiers, illustrations, qris, thumbnails
from catalogue.models import (
    Category,
    Certificate,
    CertificateKind,
    Producer,
    ProducerMember,
    Product,
    ProductImage,
    Stage,
    StageKind,
    StageStatus,
)
from catalogue.producers import links
from villages.codes import Level, level_of, parent_code, region_name
from villages.models import District, Province, Regency, Village

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "demo-ovop-ntt"  # noqa: S105  (documented demo password, DEBUG only)
DEMO_USERS = {
    "pmd-admin": ("Admin PMD", True),
    "pendamping": ("Pendamping PMD", False),
    "mitra": ("Mitra", False),
}


@dataclass
class DemoResult:
    regencies: int = 0
    villages: int = 0
    producers: int = 0
    products: int = 0
    images: int = 0
    users: int = 0
    producer_users: int = 0
    candidates: int = 0
    curations: int = 0


def load_regions(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: (len(row["kode"]), row["kode"]))
    for row in rows:
        code, name = row["kode"].strip(), region_name(row["nama"])
        level = level_of(code)
        parent = parent_code(code)
        if level is Level.PROVINCE:
            Province.objects.update_or_create(code=code, defaults={"name": name})
        elif level is Level.REGENCY:
            Regency.objects.update_or_create(
                code=code,
                defaults={"name": name, "province_id": parent, "kind": Regency.kind_for_name(name)},
            )
        elif level is Level.DISTRICT:
            District.objects.update_or_create(code=code, defaults={"name": name, "regency_id": parent})
        elif level is Level.VILLAGE:
            Village.objects.update_or_create(
                code=code,
                defaults={"name": name, "district_id": parent, "kind": Village.kind_for_code(code)},
            )


def demo_specs() -> list[dict]:
    """The demo products as written in fixtures/ovop-demo.json."""
    data = json.loads((FIXTURES / "ovop-demo.json").read_text(encoding="utf-8"))
    return [entry["product"] for entry in data["products"]]


def draw_product_image(spec: dict) -> bytes:
    """The demo product's illustrated picture (catalogue/illustrations.py): no text in it."""
    return illustrations.illustrate(
        slug=spec["slug"], category=spec["category"], name=spec["name"], color=spec.get("color", "#8a2d1c")
    )


def save_demo_image(product: Product, spec: dict, *, alt_text: str) -> ProductImage:
    image = ProductImage(product=product, alt_text=alt_text, order=0)
    image.image.save(f"{spec['slug']}.jpg", ContentFile(draw_product_image(spec)))
    # The card thumbnails now, not during the first catalogue page (24 cards at once on a fresh demo).
    thumbnails.thumbnails(image.image, "card")
    return image


def redraw_demo_images() -> int:
    """Give the demo products already loaded their illustrated picture as the first image (the old
    one is deleted with its file); returns how many were redrawn."""
    redrawn = 0
    for spec in demo_specs():
        product = Product.objects.filter(slug=spec["slug"]).select_related("producer__village").first()
        if product is None:
            continue
        old_images = list(product.images.all())
        # Saved before the old file goes, so it gets a new name: thumbnails are keyed by the name.
        save_demo_image(product, spec, alt_text=f"{spec['name']} dari {product.producer.village.name}")
        for old in old_images:
            old.image.delete(save=False)
            old.delete()
        redrawn += 1
    return redrawn


ENGLISH_FIELDS = ("name_en", "short_description_en", "story_en", "unit_en")
NOT_APPLICABLE_TO_CLOTH = {StageKind.PERMIT, StageKind.HALAL}
DEMO_NOTE = "Data demo"
CLOTH_CATEGORY = "tenun-ikat"
BPOM_EVERY = 3  # one product in three with a done permit stage holds BPOM MD, the others P-IRT


def demo_statuses(index: int, *, is_cloth: bool, has_qris: bool) -> dict[str, str]:
    """The 14 stage statuses of the index-th demo product: the first stages done, the next one under
    way; a cloth needs no distribution permit nor Halal; the QRIS stage is done exactly when the
    producer has a valid QRIS (every demo producer has one)."""
    done = 3 + (index * 7) % 10
    statuses = {}
    for position, kind in enumerate(StageKind.values):
        if is_cloth and kind in NOT_APPLICABLE_TO_CLOTH:
            statuses[kind] = StageStatus.NOT_APPLICABLE
        elif kind == StageKind.QRIS:
            statuses[kind] = StageStatus.DONE if has_qris else StageStatus.NOT_STARTED
        elif position < done:
            statuses[kind] = StageStatus.DONE
        elif position == done:
            statuses[kind] = StageStatus.IN_PROGRESS
        else:
            statuses[kind] = StageStatus.NOT_STARTED
    return statuses


def seed_programme_progress(today: datetime.date | None = None) -> None:
    """Give the demo programme a believable, consistent state: each product somewhere along its 14
    stages, and certificates only where their stage is done (a P-IRT or BPOM MD permit where the
    permit stage is, a Halal certificate where the Halal stage is), one Halal expiring soon and some
    stages overdue, so the dashboard and the officers' home have something to show.

    Only products still untouched (every stage `belum`, no certificate) are seeded, so officers'
    work on a demo site survives `make run` again.
    """
    today = today or timezone.localdate()
    untouched = (
        Product.objects.exclude(
            stages__status__in=[s for s in StageStatus.values if s != StageStatus.NOT_STARTED]
        )
        .filter(certificates__isnull=True)
        .select_related("category", "producer__village")
        .order_by("slug")
    )
    kinds = StageKind.values
    permits = halals = 0
    verified = timezone.now()
    for index, product in enumerate(untouched, start=1):
        statuses = demo_statuses(
            index, is_cloth=product.category.slug == CLOTH_CATEGORY, has_qris=product.producer.has_qris
        )
        overdue = index % 5 == 0
        stages = Stage.objects.filter(product=product)
        for status in sorted(set(statuses.values())):
            kinds_now = [kind for kind, wanted in statuses.items() if wanted == status]
            stages.filter(kind__in=kinds_now).change_status(to=status, by=None, note=DEMO_NOTE)
        for kind, status in statuses.items():
            stages.filter(kind=kind).update(
                completed_on=today - datetime.timedelta(days=30 * (len(kinds) - kinds.index(kind)))
                if status == StageStatus.DONE
                else None,
                target_date=today + datetime.timedelta(days=-7 if overdue else 21)
                if status == StageStatus.IN_PROGRESS
                else None,
            )
        regency_digits = product.producer.village.code[:5].replace(".", "")
        issued = today - datetime.timedelta(days=200 + index * 9)
        if statuses[StageKind.PERMIT] == StageStatus.DONE:
            bpom = permits % BPOM_EVERY == 0
            permits += 1
            Certificate.objects.create(
                product=product,
                kind=CertificateKind.BPOM_MD if bpom else CertificateKind.PIRT,
                number=f"MD2245{regency_digits}{index:04d}"
                if bpom
                else pirt_number(index, regency_digits, issued),
                issued_on=issued,
                verified_at=verified,
            )
        if statuses[StageKind.HALAL] == StageStatus.DONE:
            halals += 1
            Certificate.objects.create(
                product=product,
                kind=CertificateKind.HALAL,
                number=f"ID{regency_digits}{index:08d}{issued.year % 100:02d}{issued.month:02d}",
                issued_on=issued,
                expires_on=today + datetime.timedelta(days=60) if halals == 1 else None,
                verified_at=verified,
            )


def pirt_number(index: int, regency_digits: str, issued: datetime.date) -> str:
    """A P-IRT number whose last two digits are the year it expires (five years after issue)."""
    return f"2{10 + index % 80:02d}{regency_digits}{index:03d}{index:03d}{(issued.year + 5) % 100:02d}"


def ensure_demo_users() -> int:
    """Demo staff accounts exist only on a DEBUG site: production never gets a known password."""
    if not settings.DEBUG:
        return 0
    user_model = get_user_model()
    created = 0
    for username, (group_name, is_superuser) in DEMO_USERS.items():
        user, was_created = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": is_superuser}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        group, _ = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
    return created


def ensure_producer_users() -> int:
    """Each demo producer gets its user (its WhatsApp number as the contact): no password, not staff;
    it signs in only by a link (`manage.py producer_link SLUG`)."""
    before = ProducerMember.objects.count()
    for producer in Producer.objects.order_by("pk"):
        links.member_for(producer, producer.whatsapp)
    return ProducerMember.objects.count() - before


@transaction.atomic
def load_demo(*, with_images: bool = True) -> DemoResult:
    load_regions(FIXTURES / "wilayah-ntt-demo.csv")
    data = json.loads((FIXTURES / "ovop-demo.json").read_text(encoding="utf-8"))
    result = DemoResult()
    categories = {}
    for item in data["categories"]:
        categories[item["slug"]], _ = Category.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "name_en": item.get("name_en", ""),
                "description": item.get("description", ""),
                "description_en": item.get("description_en", ""),
                "order": item.get("order", 0),
            },
        )
    for entry in data["products"]:
        village = Village.objects.select_related("district__regency").get(code=entry["village"])
        village.is_ovop_locus = True
        village.commodity = entry.get("village_commodity", "")
        village.raw_material_notes = entry.get("raw_material_notes", "")
        village.sustainability_score = entry.get("sustainability_score")
        village.save()

        spec = entry["producer"]
        producer, _ = Producer.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "village": village,
                "contact_person": spec.get("contact_person", ""),
                "whatsapp": identifiers.normalize_whatsapp(spec["whatsapp"]),
                "nib": spec.get("nib", ""),
                "story": spec.get("story", ""),
                "story_en": spec.get("story_en", ""),
                "qris_payload": qris.make_demo_static(
                    merchant_name=spec["name"],
                    city=village.district.regency.name.removeprefix("Kabupaten ").removeprefix("Kota "),
                    merchant_id=spec.get("nib") or spec["slug"],
                ),
            },
        )
        spec = entry["product"]
        defaults = {
            "name": spec["name"],
            "producer": producer,
            "category": categories[spec["category"]],
            "short_description": spec["short_description"],
            "story": spec["story"],
            "price": spec["price"],
            "unit": spec["unit"],
            # English text (shown on /en/): every demo product has its name, description, story and unit.
            **{field: spec.get(field, "") for field in ENGLISH_FIELDS},
            "net_content": spec.get("net_content", ""),
            "is_published": True,
            "is_featured": spec.get("featured", False),
            "cohort_year": spec.get("cohort_year"),
        }
        # Stock is set only on first load: loading the demo again must not undo sales.
        product, _ = Product.objects.update_or_create(
            slug=spec["slug"], defaults=defaults, create_defaults={**defaults, "stock": spec["stock"]}
        )
        if with_images and not product.images.exists():
            save_demo_image(product, spec, alt_text=f"{spec['name']} dari {village.name}")
            result.images += 1
    seed_programme_progress()
    # After the progress: the stars' legality points follow the certificates it gives.
    result.candidates = demo_selection.seed_candidates()
    result.curations = demo_selection.seed_curations()
    result.regencies = Regency.objects.count()
    result.villages = Village.objects.loci().count()
    result.producers = Producer.objects.count()
    result.products = Product.objects.count()
    result.users = ensure_demo_users()
    result.producer_users = ensure_producer_users()
    return result
