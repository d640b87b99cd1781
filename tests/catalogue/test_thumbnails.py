"""Product thumbnails (catalogue/thumbnails.py): WebP, made once, cached on disk, small cards."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from PIL import Image

from catalogue import thumbnails
from catalogue.models import ProductImage
from tests import factories

pytestmark = pytest.mark.django_db


def noisy_photo(size=(3000, 2000), fmt="JPEG") -> bytes:
    """The worst case for a small file: every pixel different, like a busy photo of a market."""
    rng = random.Random(53)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=95)
    return buffer.getvalue()


def uploaded(data: bytes, name: str = "foto.jpg") -> ProductImage:
    image = ProductImage(product=factories.product(), alt_text="Kain tenun")
    image.image.save(name, ContentFile(data))
    return image


def test_card_thumbnails_are_webp_320_and_640_wide_and_small_even_for_a_busy_photo(settings):
    image = uploaded(noisy_photo())
    made = thumbnails.thumbnails(image.image, "card")
    assert [(thumb.width, thumb.height) for thumb in made] == [(320, 240), (640, 480)]
    for thumb, budget in zip(made, (20 * 1024, 40 * 1024), strict=True):
        assert thumb.path.stat().st_size <= budget
        with Image.open(thumb.path) as opened:
            assert opened.format == "WEBP"
            assert opened.size == (thumb.width, thumb.height)


def test_detail_thumbnails_keep_the_4_to_3_shape_of_the_gallery():
    image = uploaded(factories.image_bytes((600, 1200)))  # a tall photo is cropped, not squeezed
    made = thumbnails.thumbnails(image.image, "detail")
    assert [(thumb.width, thumb.height) for thumb in made] == [(640, 480), (1024, 768)]
    with Image.open(made[0].path) as opened:
        assert opened.size == (640, 480)


def test_thumbnails_live_under_media_thumbs_keyed_by_image_name_and_size(settings):
    image = uploaded(factories.image_bytes(), name="kopi.jpg")
    stem = image.image.name.rsplit(".", 1)[0]
    made = thumbnails.thumbnails(image.image, "card")
    assert made[0].url == f"{settings.MEDIA_URL}thumbs/{stem}-320x240.webp"
    assert made[0].path == settings.MEDIA_ROOT / "thumbs" / f"{stem}-320x240.webp"


def test_thumbnails_are_readable_by_the_web_server_user():
    made = thumbnails.thumbnails(uploaded(factories.image_bytes()).image, "card")
    for thumb in made:
        assert thumb.path.stat().st_mode & 0o044 == 0o044  # nginx runs as another user


def test_a_thumbnail_is_made_once_then_served_from_disk(monkeypatch):
    image = uploaded(factories.image_bytes())
    thumbnails.thumbnails(image.image, "card")
    made_again = []
    monkeypatch.setattr(thumbnails, "render_webp", lambda *args: made_again.append(args) or b"")
    for _ in range(3):
        assert len(thumbnails.thumbnails(image.image, "card")) == 2
    assert made_again == []


def test_a_thumbnail_found_once_is_not_looked_for_on_disk_again(monkeypatch):
    image = uploaded(factories.image_bytes())
    first = thumbnails.thumbnails(image.image, "card")
    looked = []
    exists = thumbnails.os.path.exists
    monkeypatch.setattr(thumbnails.os.path, "exists", lambda path: looked.append(path) or exists(path))
    assert thumbnails.thumbnails(image.image, "card") == first
    assert looked == []


def test_a_thumbnail_found_once_still_follows_the_media_address(settings):
    image = uploaded(factories.image_bytes())
    first = thumbnails.thumbnails(image.image, "card")
    settings.MEDIA_URL = "/berkas/"  # e.g. media moved behind another address: no stale URL
    moved = thumbnails.thumbnails(image.image, "card")
    assert [thumb.url.removeprefix("/berkas/") for thumb in moved] == [
        thumb.url.removeprefix("/media/") for thumb in first
    ]
    assert all(thumb.url.startswith("/berkas/thumbs/") for thumb in moved)


def test_pages_do_not_remake_thumbnails_on_later_requests(client, monkeypatch):
    product = factories.product()
    factories.product_image(product)
    client.get("/produk/")
    calls = []
    original = thumbnails.render_webp
    monkeypatch.setattr(thumbnails, "render_webp", lambda *args: calls.append(1) or original(*args))
    client.get("/produk/")
    client.get(product.get_absolute_url())  # detail sizes: made now, once
    client.get(product.get_absolute_url())
    assert len(calls) == 1  # 1024x768 (the 640x480 file is shared with the card's 2x image)


def test_png_with_transparency_becomes_a_webp_thumbnail():
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 300), (20, 120, 60, 128)).save(buffer, "PNG")
    made = thumbnails.thumbnails(uploaded(buffer.getvalue(), name="logo.png").image, "card")
    with Image.open(made[0].path) as opened:
        assert opened.format == "WEBP"


def test_a_missing_or_broken_original_gives_a_placeholder_not_an_error(client):
    product = factories.product("Kopi Tanpa Foto")
    image = factories.product_image(product)
    image.image.storage.delete(image.image.name)
    assert thumbnails.thumbnails(image.image, "card") == []
    broken = factories.product_image(factories.product("Madu"), order=0)
    with open(broken.image.path, "wb") as handle:
        handle.write(b"not an image at all")
    assert thumbnails.thumbnails(broken.image, "card") == []
    response = client.get("/produk/")
    assert response.status_code == 200
    assert 'class="no-image" role="img" aria-label="Kopi Tanpa Foto"' in response.content.decode()


def test_a_missing_original_is_asked_for_and_logged_once_a_while_not_on_every_page(
    client, monkeypatch, caplog
):
    product = factories.product("Kopi Tanpa Foto")
    image = factories.product_image(product)
    kept = image.image.storage.open(image.image.name).read()
    image.image.storage.delete(image.image.name)
    opened = []
    open_original = thumbnails._open_original
    monkeypatch.setattr(thumbnails, "_open_original", lambda field: opened.append(1) or open_original(field))
    now = [1_000.0]
    monkeypatch.setattr(thumbnails.time, "monotonic", lambda: now[0])
    with caplog.at_level("WARNING", logger="catalogue.thumbnails"):
        for _ in range(3):
            assert client.get("/produk/").status_code == 200
    assert len(opened) == 1
    assert len([r for r in caplog.records if "Cannot make thumbnail" in r.getMessage()]) == 1
    # The file is back (restored from a backup): shown again once the wait is over.
    image.image.storage.save(image.image.name, ContentFile(kept))
    now[0] += thumbnails.RETRY_UNREADABLE_SECONDS - 1
    assert thumbnails.thumbnails(image.image, "card") == []
    now[0] += 2
    assert len(thumbnails.thumbnails(image.image, "card")) == 2
    assert len(opened) == 2


def test_the_template_tag_gives_srcset_sizes_explicit_dimensions_and_lazy_loading():
    image = factories.product_image(factories.product("Gula Lontar"), alt_text="Gula lontar cetak")
    html = Template('{% load storefront %}{% product_image image "card" %}').render(Context({"image": image}))
    assert re.fullmatch(
        r'<img src="/media/thumbs/\S+-320x240\.webp" srcset="\S+-320x240\.webp 320w, \S+-640x480\.webp 640w"'
        r' sizes="[^"]+" width="320" height="240" alt="Gula lontar cetak" loading="lazy" decoding="async">',
        html,
    )
    eager = Template('{% load storefront %}{% product_image image "detail" eager=True %}').render(
        Context({"image": image})
    )
    assert 'fetchpriority="high"' in eager
    assert "loading=" not in eager


def test_images_without_alt_text_use_the_product_name():
    image = factories.product_image(factories.product("Madu Hutan Timor"))
    html = Template('{% load storefront %}{% product_image image "card" %}').render(Context({"image": image}))
    assert 'alt="Madu Hutan Timor"' in html


def test_make_thumbnails_command_makes_every_size_ahead_of_time(settings):
    from django.core.management import call_command

    image = factories.product_image(factories.product())
    out = io.StringIO()
    call_command("make_thumbnails", stdout=out)
    stem = image.image.name.rsplit(".", 1)[0]
    for size in ("320x240", "640x480", "96x96", "192x192", "1024x768"):
        assert (settings.MEDIA_ROOT / "thumbs" / f"{stem}-{size}.webp").exists()
    assert "1" in out.getvalue()
