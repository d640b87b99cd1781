"""Small factory functions: each makes one valid object, with sensible defaults that tests override."""

from __future__ import annotations

import itertools

from catalogue import qris
from catalogue.models import Category, Producer, Product
from villages.models import District, Province, Regency, Village

_seq = itertools.count(1)

STATIC_QRIS = (
    "00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567630458C7"
)


def province() -> Province:
    return Province.objects.get_or_create(code="53", defaults={"name": "Nusa Tenggara Timur"})[0]


def regency(code: str = "53.01", name: str = "Kabupaten Kupang") -> Regency:
    return Regency.objects.get_or_create(
        code=code, defaults={"name": name, "province": province(), "kind": Regency.kind_for_name(name)}
    )[0]


def district(code: str = "53.01.04", name: str = "Semau", regency_code: str | None = None) -> District:
    parent = (
        regency(regency_code) if regency_code else regency(code.rsplit(".", 1)[0], f"Kabupaten {code[:5]}")
    )
    return District.objects.get_or_create(code=code, defaults={"name": name, "regency": parent})[0]


def village(code: str = "53.01.04.2003", name: str = "Bokonusan", **fields) -> Village:
    parent_code = code.rsplit(".", 1)[0]
    parent = District.objects.filter(code=parent_code).first() or district(
        parent_code, f"Kecamatan {parent_code}"
    )
    obj, _ = Village.objects.get_or_create(code=code, defaults={"name": name, "district": parent, **fields})
    return obj


def whatsapp() -> str:
    """A WhatsApp number no other buyer in the test uses (one number may hold only a few open orders)."""
    return f"0813{next(_seq):08d}"


def category(name: str = "Kopi", slug: str | None = None) -> Category:
    return Category.objects.get_or_create(
        slug=slug or name.lower().replace(" ", "-"), defaults={"name": name}
    )[0]


def producer(name: str | None = None, village_: Village | None = None, **fields) -> Producer:
    n = next(_seq)
    name = name or f"UMKM Uji {n}"
    defaults = {
        "whatsapp": f"+62812000{n:05d}",
        "qris_payload": qris.make_demo_static(merchant_name=name, city="Kupang", merchant_id=f"{n:013d}"),
    }
    defaults.update(fields)
    return Producer.objects.create(name=name, slug=f"umkm-uji-{n}", village=village_ or village(), **defaults)


def product(name: str | None = None, producer_: Producer | None = None, **fields) -> Product:
    n = next(_seq)
    values = {
        "name": name or f"Produk Uji {n}",
        "slug": f"produk-uji-{n}",
        "producer": producer_ or producer(),
        "category": fields.pop("category", None) or category(),
        "short_description": "Produk desa untuk pengujian.",
        "price": 25000,
        "unit": "kemasan 250 g",
        "stock": 10,
        "is_published": True,
    }
    values.update(fields)
    return Product.objects.create(**values)


def image_bytes(size: tuple[int, int] = (800, 600), color: str = "#8a2d1c", fmt: str = "JPEG") -> bytes:
    """A small real image (Pillow), for uploads and thumbnails."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def product_image(product_: Product, alt_text: str = "", order: int = 0, **image):
    """A ProductImage with a real JPEG stored under MEDIA_ROOT (tests use a temporary folder)."""
    from django.core.files.base import ContentFile

    from catalogue.models import ProductImage

    made = ProductImage(product=product_, alt_text=alt_text, order=order)
    made.image.save(f"{product_.slug}-{order}.jpg", ContentFile(image_bytes(**image)))
    return made


def order_part(
    product_: Product | None = None,
    *,
    quantity: int = 2,
    status: str = "menunggu_pembayaran",
    payment: str = "qris",
    delivery: str = "ambil",
    buyer_email: str = "",
    **order_fields,
):
    """An order with one part (of ``product_``'s producer) and one line, the stock taken as a
    checkout would take it."""
    import uuid

    from django.db.models import F

    from catalogue.models import Order, OrderLine, OrderPart

    product_ = product_ or product()
    order = Order.objects.create(
        checkout_key=uuid.uuid4().hex,
        buyer_name=order_fields.pop("buyer_name", "Maria Ndapa"),
        buyer_whatsapp="+6281234567890",
        buyer_email=buyer_email,
        delivery=delivery,
        payment=payment,
        total=product_.price * quantity,
        **order_fields,
    )
    part = OrderPart.objects.create(
        order=order, producer=product_.producer, status=status, subtotal=product_.price * quantity
    )
    OrderLine.objects.create(
        part=part,
        product=product_,
        product_name=product_.name,
        unit=product_.unit,
        unit_price=product_.price,
        quantity=quantity,
    )
    Product.objects.filter(pk=product_.pk).update(stock=F("stock") - quantity)
    return part


def producer_user(producer_: Producer | None = None, contact: str = ""):
    """A producer's user as the sign-in link creates it: no usable password, not staff."""
    from catalogue.producers.links import member_for

    return member_for(producer_ or producer(), contact).user


def candidate(village_: Village | None = None, *, cohort_year: int = 2027, scores=(3, 3, 3, 3, 3), **fields):
    """A proposed village for a cohort, scored on the five selection criteria (villages.Candidate)."""
    from villages.models import Candidate, Criterion

    n = next(_seq)
    values = {
        "village": village_ or village(f"53.01.04.{2100 + n % 800}", f"Desa Kandidat {n}"),
        "commodity": fields.pop("commodity", "Madu hutan"),
        "cohort_year": cohort_year,
        **{f"{criterion}_score": score for criterion, score in zip(Criterion.values, scores, strict=True)},
    }
    values.update(fields)
    return Candidate.objects.create(**values)
