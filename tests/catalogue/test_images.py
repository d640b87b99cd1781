"""Uploaded images are re-encoded on save (issue 10 item 5): the server stores a WebP made from the
pixels under a name it chooses, never the uploaded bytes, their name or their metadata."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from catalogue import images, thumbnails
from catalogue.models import Producer, ProductImage
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD

pytestmark = pytest.mark.django_db

PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n"
)
GPS = 0x8825
ORIENTATION = 0x0112


def polyglot() -> bytes:
    """A real PNG followed by a PDF that runs JavaScript when opened."""
    return backoffice.image_bytes("PNG") + PDF_WITH_SCRIPT


def photo_with_exif(*, orientation: int = 1, size=(60, 20)) -> bytes:
    """A JPEG as a phone writes it: camera make, GPS position, and an orientation tag."""
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"
    exif[ORIENTATION] = orientation
    exif[GPS] = {1: "S", 2: (10.0, 9.0, 30.0), 3: "E", 4: (123.0, 36.0, 0.0)}
    image = Image.new("RGB", size, "white")
    image.paste((200, 30, 30), (0, 0, size[0] // 2, size[1]))  # left half red, before rotation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def stored_bytes(field) -> bytes:
    with field.storage.open(field.name, "rb") as handle:
        return handle.read()


def upload_in_admin(product, name: str, content: bytes):
    client = Client()
    client.force_login(backoffice.staff(ADMIN_PMD))
    address = reverse("admin:catalogue_product_change", args=[product.pk])
    data = backoffice.form_data(client.get(address).content.decode(), "product_form")
    data["images-TOTAL_FORMS"] = "1"  # as the inline's "add another" button does
    data["images-0-image"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    data["images-0-alt_text"] = "Foto produk"
    data["images-0-order"] = "0"
    data["images-0-product"] = str(product.pk)
    return client.post(address, data)


def test_a_png_pdf_polyglot_named_pdf_is_stored_as_a_webp_under_a_server_name():
    product = factories.product()
    response = upload_in_admin(product, "x.pdf", polyglot())
    assert response.status_code == 302, response.context and response.context["errors"]
    (image,) = ProductImage.objects.filter(product=product)
    assert images.is_server_name(image.image.name)
    assert image.image.name.startswith("produk/") and image.image.name.endswith(".webp")
    assert "x" not in image.image.name.rpartition("/")[2].removesuffix(".webp").strip("0123456789abcdef")
    data = stored_bytes(image.image)
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert b"%PDF" not in data and b"JavaScript" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 30)


def test_gps_and_camera_are_removed_and_the_orientation_applied():
    product = factories.product()
    made = ProductImage(product=product)
    made.image.save("IMG_0001.jpg", ContentFile(photo_with_exif(orientation=6)))  # rotated 90° in EXIF
    stored = Image.open(io.BytesIO(stored_bytes(made.image)))
    assert stored.format == "WEBP"
    assert stored.size == (20, 60), "the EXIF rotation is applied to the pixels"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info and "xmp" not in stored.info
    top = stored.convert("RGB").getpixel((10, 5))
    assert top[0] > 150 and top[1] < 100, "orientation 6: the red left half is now on top"


def test_a_producer_photo_is_re_encoded_too():
    producer = factories.producer()
    producer.photo.save("rumah-saya.jpg", ContentFile(photo_with_exif()))
    producer.refresh_from_db()
    assert images.is_server_name(producer.photo.name)
    assert producer.photo.name.startswith("produsen/")
    assert b"KameraHP" not in stored_bytes(producer.photo)


def test_a_huge_photo_is_stored_at_most_2560_pixels_wide():
    made = ProductImage(product=factories.product())
    made.image.save("besar.png", ContentFile(backoffice.image_bytes("PNG", size=(4000, 1000))))
    assert Image.open(io.BytesIO(stored_bytes(made.image))).size == (2560, 640)


def test_a_transparent_png_keeps_its_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(buffer, "PNG")
    made = ProductImage(product=factories.product())
    made.image.save("logo.png", ContentFile(buffer.getvalue()))
    assert Image.open(io.BytesIO(stored_bytes(made.image))).mode == "RGBA"


def test_a_decompression_bomb_is_refused_in_the_admin_not_stored():
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")  # 48 MP in a few KB
    product = factories.product()
    response = upload_in_admin(product, "bom.png", buffer.getvalue())
    assert response.status_code == 200
    assert not ProductImage.objects.filter(product=product).exists()


# --- the command for the images stored before ------------------------------------------------------


def legacy_image(product, name: str, content: bytes) -> ProductImage:
    """An image stored the old way: the uploaded bytes under the uploaded name."""
    made = ProductImage.objects.create(product=product, image="placeholder")
    stored = made.image.storage.save(f"produk/2025/{name}", ContentFile(content))
    ProductImage.objects.filter(pk=made.pk).update(image=stored)
    made.refresh_from_db()
    return made


def test_the_command_re_encodes_stored_images_once_and_removes_the_originals(capsys):
    product = factories.product()
    old = legacy_image(product, "kopi.jpg", photo_with_exif(orientation=6))
    old_name, storage = old.image.name, old.image.storage
    thumbnails.thumbnails(old.image, "card")
    old_thumb = thumbnails.thumb_name(old_name, thumbnails.SIZES["card"][0])
    assert storage.exists(old_thumb)
    producer = product.producer
    Producer.objects.filter(pk=producer.pk).update(
        photo=storage.save("produsen/2025/p.jpg", ContentFile(photo_with_exif()))
    )

    call_command("reencode_images")
    assert "2 gambar diencode ulang" in capsys.readouterr().out
    old.refresh_from_db()
    producer.refresh_from_db()
    assert images.is_server_name(old.image.name) and images.is_server_name(producer.photo.name)
    assert not storage.exists(old_name) and not storage.exists(old_thumb)
    assert Image.open(io.BytesIO(stored_bytes(old.image))).size == (20, 60)

    names = (old.image.name, producer.photo.name)
    call_command("reencode_images")
    assert "0 gambar diencode ulang, 2 sudah bersih" in capsys.readouterr().out
    old.refresh_from_db()
    producer.refresh_from_db()
    assert (old.image.name, producer.photo.name) == names


def test_the_command_skips_a_missing_or_broken_file_and_carries_on(capsys):
    product = factories.product()
    legacy_image(product, "rusak.jpg", b"bukan gambar")
    good = legacy_image(product, "baik.jpg", photo_with_exif())
    call_command("reencode_images")
    out = capsys.readouterr()
    assert "1 gambar diencode ulang, 0 sudah bersih, 1 dilewati" in out.out
    assert "rusak.jpg" in out.err
    good.refresh_from_db()
    assert images.is_server_name(good.image.name)
