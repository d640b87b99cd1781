"""Illustrated product pictures for the demo programme, drawn with Pillow: no photos, no text.

Each category has its own motif (coffee beans, a honey jar on honeycomb, an ikat cloth, palm sugar,
seaweed…), a product's name picks a variant where a category holds different things (cashews or red
rice, vanilla or candlenuts), and a random generator seeded by the product's slug varies the
composition, the background and the colours around the product's own colour. So the 44 demo
products look different from each other, and the same product always gets the same picture.

    illustrate(slug="kopi-arabika-bajawa", category="kopi-dan-kakao", name="Kopi Arabika", color="#6b3e26")
    → JPEG bytes, 800×600

`manage.py draw_demo_images` writes them to a folder or redraws the demo products' images;
`manage.py load_demo` uses them. Pure: no Django models here.
"""

from __future__ import annotations

import hashlib
import random
from functools import lru_cache

from PIL import ImageColor

from .canvas import Canvas
from .motifs import MOTIFS


@lru_cache(maxsize=64)  # the demo is loaded again and again in tests: draw each picture once a process
def illustrate(*, slug: str, category: str, name: str, color: str = "#8a2d1c") -> bytes:
    """The product's picture as JPEG bytes: its category's motif, varied by its slug."""
    seed = int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big")
    base = ImageColor.getrgb(color)[:3]
    canvas = Canvas(random.Random(seed), base)
    MOTIFS.get(category, MOTIFS["kopi-dan-kakao"])(canvas, name.casefold())
    return canvas.jpeg()
