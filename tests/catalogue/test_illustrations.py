"""Illustrated demo pictures (catalogue/illustrations.py, manage.py draw_demo_images)."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import call_command
from PIL import Image, ImageChops, ImageStat

from catalogue import demo, illustrations
from catalogue.models import Product


def picture(spec: dict) -> Image.Image:
    return Image.open(io.BytesIO(demo.draw_product_image(spec))).convert("RGB")


def difference(a: Image.Image, b: Image.Image) -> float:
    small = (80, 60)
    return sum(ImageStat.Stat(ImageChops.difference(a.resize(small), b.resize(small))).mean) / 3


def test_every_category_of_the_demo_has_its_own_motif():
    categories = {spec["category"] for spec in demo.demo_specs()}
    assert categories <= set(illustrations.MOTIFS)


def test_each_demo_product_gets_a_distinct_picture_even_within_its_category():
    specs = demo.demo_specs()
    assert len(specs) == 44
    pictures = {spec["slug"]: picture(spec) for spec in specs}
    assert all(image.size == (800, 600) for image in pictures.values())
    by_category = itertools.groupby(sorted(specs, key=lambda s: s["category"]), key=lambda s: s["category"])
    for _category, group in by_category:
        for a, b in itertools.combinations(list(group), 2):
            assert difference(pictures[a["slug"]], pictures[b["slug"]]) > 4, (a["slug"], b["slug"])


def test_the_same_product_always_gets_the_same_picture():
    spec = demo.demo_specs()[0]
    illustrations.illustrate.cache_clear()
    first = demo.draw_product_image(spec)
    illustrations.illustrate.cache_clear()
    assert demo.draw_product_image(spec) == first


def test_draw_demo_images_writes_a_jpeg_for_each_demo_product(tmp_path):
    call_command("draw_demo_images", out=tmp_path, stdout=io.StringIO())
    files = sorted(tmp_path.glob("*.jpg"))
    assert len(files) == 44
    with Image.open(files[0]) as image:
        assert image.format == "JPEG"


@pytest.mark.django_db
def test_draw_demo_images_replaces_the_pictures_of_a_loaded_demo(settings):
    demo.load_demo(with_images=True)
    before = set(Product.objects.values_list("images__image", flat=True))
    call_command("draw_demo_images", stdout=io.StringIO())
    after = set(Product.objects.values_list("images__image", flat=True))
    assert len(after) == 44 and not before & after
    assert all(p.images.count() == 1 for p in Product.objects.prefetch_related("images"))
