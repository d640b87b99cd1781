"""The drawing surface of the illustrations and the small objects scattered on it (beans, grains…)."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

SIZE = (800, 600)
SCALE = 2  # drawn at twice the size and scaled down: smooth edges without an antialiasing library
RGB = tuple[int, int, int]


def _mix(a: RGB, b: RGB, amount: float) -> RGB:
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _shade(color: RGB, amount: float) -> RGB:
    """amount > 0 lightens towards white, < 0 darkens towards black."""
    return _mix(color, (255, 255, 255), amount) if amount > 0 else _mix(color, (0, 0, 0), -amount)


def _ellipse(cx: float, cy: float, rx: float, ry: float, angle: float, steps: int = 36) -> list[tuple]:
    """A rotated ellipse as a polygon (Pillow draws only upright ones)."""
    cos, sin = math.cos(angle), math.sin(angle)
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append((cx + x * cos - y * sin, cy + x * sin + y * cos))
    return points


class Canvas:
    """A drawing at SCALE× size, with the product's palette and its seeded random generator."""

    def __init__(self, rng: random.Random, base: RGB) -> None:
        self.rng = rng
        self.base = base
        self.width, self.height = SIZE[0] * SCALE, SIZE[1] * SCALE
        self.image = Image.new("RGB", (self.width, self.height), _shade(base, 0.75))
        self.draw = ImageDraw.Draw(self.image)

    def s(self, value: float) -> float:
        return value * SCALE

    def background(self) -> None:
        """A soft two-tone ground with one of a few light patterns."""
        top = _shade(self.base, self.rng.uniform(0.55, 0.8))
        bottom = _shade(self.base, self.rng.uniform(0.3, 0.55))
        for y in range(0, self.height, 8):
            self.draw.rectangle([0, y, self.width, y + 8], fill=_mix(top, bottom, y / self.height))
        pattern = self.rng.choice(["dots", "stripes", "plain", "rings"])
        light = _shade(self.base, 0.85)
        if pattern == "dots":
            gap = self.s(self.rng.choice([36, 48, 60]))
            for y in range(0, self.height, int(gap)):
                for x in range(int(gap / 2) * (y // int(gap) % 2), self.width, int(gap)):
                    self.draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=light)
        elif pattern == "stripes":
            gap = int(self.s(self.rng.choice([40, 56])))
            for x in range(-self.height, self.width, gap):
                self.draw.line([(x, self.height), (x + self.height, 0)], fill=light, width=int(self.s(6)))
        elif pattern == "rings":
            cx, cy = self.rng.uniform(0, self.width), self.rng.uniform(0, self.height)
            for radius in range(int(self.s(80)), self.width, int(self.s(70))):
                self.draw.ellipse(
                    [cx - radius, cy - radius, cx + radius, cy + radius], outline=light, width=6
                )

    def ground(self, height: float = 0.22) -> float:
        """A table or mat along the bottom; returns its top edge."""
        top = self.height * (1 - height)
        self.draw.rectangle([0, top, self.width, self.height], fill=_shade(self.base, -0.35))
        self.draw.rectangle([0, top, self.width, top + self.s(6)], fill=_shade(self.base, -0.5))
        return top

    def spot(self) -> tuple[float, float]:
        """Where the main object stands: left, centre or right, a little random."""
        x = self.rng.choice([0.3, 0.5, 0.68]) * self.width + self.rng.uniform(-1, 1) * self.s(30)
        return x, self.height * self.rng.uniform(0.48, 0.58)

    def scatter(
        self, count: int, draw_one: Callable[[float, float, float, float], None], *, area=None
    ) -> None:
        left, top, right, bottom = area or (0, 0, self.width, self.height)
        for _ in range(count):
            draw_one(
                self.rng.uniform(left, right),
                self.rng.uniform(top, bottom),
                self.rng.uniform(0, math.pi),
                self.rng.uniform(0.8, 1.2),
            )

    def jpeg(self) -> bytes:
        image = self.image.resize(SIZE, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
        return buffer.getvalue()


# --- small objects ------------------------------------------------------------------------------


def bean(c: Canvas, color: RGB) -> Callable:
    def one(x: float, y: float, angle: float, size: float) -> None:
        rx, ry = c.s(34) * size, c.s(24) * size
        c.draw.polygon(_ellipse(x, y, rx, ry, angle), fill=_shade(color, c.rng.uniform(-0.2, 0.1)))
        cos, sin = math.cos(angle), math.sin(angle)
        crease = [
            (
                x + t * rx * cos - math.sin(t * 3) * c.s(5) * sin,
                y + t * rx * sin + math.sin(t * 3) * c.s(5) * cos,
            )
            for t in [i / 6 - 0.8 for i in range(11)]
        ]
        c.draw.line(crease, fill=_shade(color, -0.55), width=int(c.s(4)))

    return one


def grain(c: Canvas, color: RGB, rx: float, ry: float) -> Callable:
    def one(x: float, y: float, angle: float, size: float) -> None:
        fill = _shade(color, c.rng.uniform(-0.15, 0.2))
        c.draw.polygon(_ellipse(x, y, c.s(rx) * size, c.s(ry) * size, angle, 20), fill=fill)
        c.draw.polygon(
            _ellipse(x - c.s(rx) * 0.3, y - c.s(ry) * 0.3, c.s(rx) * 0.3, c.s(ry) * 0.25, angle, 12),
            fill=_shade(fill, 0.35),
        )

    return one


def cashew(c: Canvas, color: RGB) -> Callable:
    def one(x: float, y: float, angle: float, size: float) -> None:
        r = c.s(34) * size
        start = math.degrees(angle)
        c.draw.arc(
            [x - r, y - r, x + r, y + r],
            start,
            start + 200,
            fill=_shade(color, c.rng.uniform(-0.1, 0.15)),
            width=int(c.s(26) * size),
        )

    return one


def leaf(c: Canvas, color: RGB, length: float = 40, width: float = 16) -> Callable:
    def one(x: float, y: float, angle: float, size: float) -> None:
        c.draw.polygon(
            _ellipse(x, y, c.s(length) * size, c.s(width) * size, angle, 24),
            fill=_shade(color, c.rng.uniform(-0.2, 0.15)),
        )

    return one
