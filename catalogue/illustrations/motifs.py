"""One motif per category: what a product of that category looks like, drawn on a Canvas."""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import ImageDraw, ImageFilter

from .canvas import Canvas, _ellipse, _mix, _shade, bean, cashew, grain, leaf

# --- motifs per category -------------------------------------------------------------------------


def coffee(c: Canvas, name: str) -> None:
    c.background()
    if "cokelat" in name or "kakao" in name:
        top = c.ground()
        x, _ = c.spot()
        pod = (120, 70, 40)
        c.draw.polygon(
            _ellipse(x, top - c.s(120), c.s(170), c.s(95), c.rng.uniform(-0.4, 0.4)), fill=(150, 85, 45)
        )
        for i in range(-3, 4):
            c.draw.line(
                [(x + c.s(i * 40), top - c.s(200)), (x + c.s(i * 40), top - c.s(40))],
                fill=pod,
                width=int(c.s(5)),
            )
        c.draw.pieslice(
            [x + c.s(150), top - c.s(140), x + c.s(420), top + c.s(60)], 180, 360, fill=(95, 55, 35)
        )
        return
    if "bubuk" in name:
        top = c.ground()
        x, _ = c.spot()
        cup = _shade(c.base, 0.9)
        c.draw.rounded_rectangle([x - c.s(120), top - c.s(190), x + c.s(120), top], c.s(30), fill=cup)
        c.draw.ellipse([x - c.s(120), top - c.s(215), x + c.s(120), top - c.s(165)], fill=(70, 40, 25))
        c.draw.arc(
            [x + c.s(90), top - c.s(160), x + c.s(180), top - c.s(60)], 270, 90, fill=cup, width=int(c.s(18))
        )
        c.scatter(14, bean(c, (95, 55, 30)), area=(0, top + c.s(20), c.width, c.height - c.s(20)))
        return
    c.scatter(
        c.rng.randint(26, 40),
        bean(c, _mix((110, 62, 34), c.base, 0.25)),
        area=(c.s(30), c.s(30), c.width - c.s(30), c.height - c.s(30)),
    )


def ikat(c: Canvas, name: str) -> None:
    """Bands of stepped lozenges with feathered edges, the look of warp ikat."""
    dark = _shade(c.base, -0.55)
    c.image.paste(dark, [0, 0, c.width, c.height])
    colors = [
        c.base,
        _shade(c.base, 0.45),
        (232, 214, 180),
        _shade(c.base, -0.2),
        c.rng.choice([(180, 50, 40), (40, 80, 120), (200, 150, 60)]),
    ]
    band = int(c.s(c.rng.choice([90, 110, 130])))
    shape = c.rng.choice(["lozenge", "hook", "zigzag"])
    for row, y in enumerate(range(0, c.height, band)):
        fill = colors[row % len(colors)]
        c.draw.rectangle([0, y, c.width, y + c.s(8)], fill=colors[(row + 2) % len(colors)])
        step = band
        for x in range(-step if row % 2 else 0, c.width + step, step):
            cx, cy, r = x + step / 2, y + band / 2, band * 0.42
            if shape == "lozenge":
                c.draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=fill)
                c.draw.polygon(
                    [(cx, cy - r / 2.5), (cx + r / 2.5, cy), (cx, cy + r / 2.5), (cx - r / 2.5, cy)],
                    fill=dark,
                )
            elif shape == "hook":
                c.draw.polygon(
                    [(cx - r, cy + r / 2), (cx, cy - r), (cx + r / 3, cy - r / 2), (cx - r / 3, cy + r / 2)],
                    fill=fill,
                )
                c.draw.rectangle([cx + r / 3, cy - r / 2, cx + r * 0.8, cy - r / 4], fill=fill)
            else:
                c.draw.line(
                    [(cx - r, cy + r / 2), (cx, cy - r / 2), (cx + r, cy + r / 2)],
                    fill=fill,
                    width=int(c.s(14)),
                )
    # feathering: thin vertical streaks where the dye bled along the warp threads
    for _ in range(260):
        x, y = c.rng.uniform(0, c.width), c.rng.uniform(0, c.height)
        c.draw.line(
            [(x, y), (x, y + c.s(c.rng.uniform(6, 22)))],
            fill=c.rng.choice([*colors, dark]),
            width=int(c.s(2)),
        )
    c.image = c.image.filter(ImageFilter.GaussianBlur(1.2))
    c.draw = ImageDraw.Draw(c.image)
    fringe = c.rng.choice([True, False])
    if fringe:
        for x in range(0, c.width, int(c.s(10))):
            c.draw.line(
                [(x, c.height - c.s(40)), (x + c.s(4), c.height)], fill=(232, 214, 180), width=int(c.s(3))
            )


def honey(c: Canvas, name: str) -> None:
    c.background()
    r = c.s(c.rng.choice([40, 52]))
    comb = _shade((230, 170, 40), 0.3)
    for row, y in enumerate(range(0, int(c.height * 0.55), int(r * 1.5))):
        for x in range(int(r * 0.87 * (row % 2)), c.width, int(r * 1.74)):
            c.draw.regular_polygon((x, y, r * 0.92), 6, rotation=30, fill=comb, outline=_shade(comb, -0.2))
    top = c.ground()
    x, _ = c.spot()
    w, h = c.s(c.rng.uniform(110, 200)), c.s(c.rng.uniform(200, 320))
    c.draw.rounded_rectangle(
        [x - w, top - h, x + w, top], c.s(40), fill=(214, 140, 20), outline=(150, 90, 10), width=int(c.s(5))
    )
    c.draw.rounded_rectangle(
        [x - w * 0.9, top - h * 0.9, x - w * 0.7, top - h * 0.2], c.s(10), fill=(245, 200, 90)
    )
    lid = c.rng.choice([_shade(c.base, -0.3), (180, 40, 30), (60, 90, 60), (230, 220, 200)])
    c.draw.rectangle([x - w * 0.75, top - h - c.s(50), x + w * 0.75, top - h + c.s(4)], fill=lid)
    c.draw.regular_polygon((x, top - h * 0.5, w * 0.35), 6, rotation=30, fill=(245, 220, 150))
    dipper = x + w + c.s(90) if x < c.width * 0.6 else x - w - c.s(90)
    c.draw.line(
        [(dipper, top - c.s(60)), (dipper + c.s(60), top - h - c.s(60))],
        fill=(150, 100, 50),
        width=int(c.s(10)),
    )
    for i in range(4):
        c.draw.ellipse(
            [dipper - c.s(30), top - c.s(80) + c.s(i * 14), dipper + c.s(30), top - c.s(50) + c.s(i * 14)],
            fill=(200, 130, 30),
        )


def sugar(c: Canvas, name: str) -> None:
    c.background()
    top = c.ground()
    if "air" in name or "lontar" in name:
        x, _ = c.spot()
        c.draw.rounded_rectangle([x - c.s(70), top - c.s(260), x + c.s(70), top], c.s(30), fill=(150, 80, 20))
        c.draw.rectangle([x - c.s(25), top - c.s(330), x + c.s(25), top - c.s(250)], fill=(150, 80, 20))
        c.draw.rectangle([x - c.s(30), top - c.s(350), x + c.s(30), top - c.s(325)], fill=(60, 40, 30))
        for i in range(9):  # a lontar palm's fan of leaves
            angle = math.pi + i * math.pi / 8
            cx, cy = (c.width * 0.15 if x > c.width / 2 else c.width * 0.85), c.s(120)
            c.draw.line(
                [(cx, cy), (cx + math.cos(angle) * c.s(200), cy + math.sin(angle) * c.s(160) + c.s(160))],
                fill=(70, 120, 50),
                width=int(c.s(12)),
            )
        return
    brown = (130, 70, 30)
    for _ in range(c.rng.randint(3, 6)):
        x = c.rng.uniform(c.s(120), c.width - c.s(120))
        y = top + c.rng.uniform(-c.s(30), c.s(40))
        rx, h = c.s(c.rng.uniform(70, 100)), c.s(c.rng.uniform(50, 80))
        c.draw.rectangle([x - rx, y - h, x + rx, y], fill=_shade(brown, -0.15))
        c.draw.ellipse([x - rx, y - c.s(25), x + rx, y + c.s(25)], fill=_shade(brown, -0.15))
        c.draw.ellipse([x - rx, y - h - c.s(25), x + rx, y - h + c.s(25)], fill=_shade(brown, 0.15))


def grains(c: Canvas, name: str) -> None:
    c.background()
    area = (c.s(20), c.s(20), c.width - c.s(20), c.height - c.s(20))
    if "mete" in name:
        c.scatter(
            c.rng.randint(30, 42),
            cashew(c, (225, 190, 130) if "goreng" not in name else (200, 150, 80)),
            area=area,
        )
    elif "beras" in name:
        c.scatter(420, grain(c, (150, 50, 45), 14, 6), area=area)
    elif "hijau" in name:
        c.scatter(380, grain(c, (90, 140, 60), 10, 9), area=area)
    elif "jagung" in name:
        c.scatter(90, grain(c, (235, 200, 110), 34, 30), area=area)
    else:
        c.scatter(c.rng.randint(30, 40), grain(c, (190, 140, 90), 40, 22), area=area)


def smoked(c: Canvas, name: str) -> None:
    c.background()
    top = c.ground(0.3)
    x, _ = c.spot()
    c.draw.ellipse([x - c.s(300), top - c.s(40), x + c.s(300), top + c.s(120)], fill=(245, 240, 230))
    if "ikan" in name:
        body = _ellipse(x, top + c.s(30), c.s(190), c.s(60), 0)
        c.draw.polygon(body, fill=(170, 90, 50))
        tail = x + c.s(180)
        c.draw.polygon(
            [(tail, top + c.s(30)), (tail + c.s(90), top - c.s(30)), (tail + c.s(90), top + c.s(90))],
            fill=(150, 75, 40),
        )
        c.draw.ellipse([x - c.s(140), top + c.s(10), x - c.s(120), top + c.s(30)], fill=(40, 25, 20))
    else:
        for i in range(c.rng.randint(4, 6)):
            y = top - c.s(10) + c.s(i * 22)
            c.draw.rounded_rectangle(
                [x - c.s(220) + c.s(i * 12), y, x + c.s(200) - c.s(i * 10), y + c.s(26)],
                c.s(10),
                fill=_shade((140, 45, 35), c.rng.uniform(-0.2, 0.1)),
            )
    for i in range(3):  # smoke
        c.draw.arc(
            [x - c.s(60) + c.s(i * 50), c.s(40), x + c.s(40) + c.s(i * 50), top - c.s(80)],
            200,
            340,
            fill=_shade(c.base, 0.9),
            width=int(c.s(8)),
        )


def sea(c: Canvas, name: str) -> None:
    c.background()
    water = (60, 130, 160)
    for i, y in enumerate(range(int(c.height * 0.55), c.height, int(c.s(40)))):
        points = [(x, y + math.sin(x / c.s(40) + i) * c.s(10)) for x in range(0, c.width + 20, 20)]
        c.draw.line(points, fill=_shade(water, i * 0.08 - 0.1), width=int(c.s(14)))
    if "garam" in name:
        x, _ = c.spot()
        c.draw.polygon(
            [(x - c.s(260), c.height * 0.75), (x, c.height * 0.3), (x + c.s(260), c.height * 0.75)],
            fill=(245, 245, 240),
        )
        c.scatter(
            60,
            lambda px, py, a, s: c.draw.regular_polygon(
                (px, py, c.s(8) * s), 4, rotation=math.degrees(a), fill=(255, 255, 255)
            ),
            area=(0, c.height * 0.75, c.width, c.height),
        )
    elif "stik" in name:
        c.scatter(
            26,
            lambda px, py, a, s: c.draw.line(
                [(px, py), (px + math.cos(a) * c.s(160), py + math.sin(a) * c.s(60))],
                fill=(200, 160, 90),
                width=int(c.s(18)),
            ),
            area=(0, c.height * 0.3, c.width * 0.8, c.height * 0.8),
        )
    else:
        for _ in range(c.rng.randint(5, 8)):
            x = c.rng.uniform(c.s(60), c.width - c.s(60))
            for branch in range(5):
                angle = -math.pi / 2 + c.rng.uniform(-0.8, 0.8)
                points = [
                    (
                        x + math.sin(t / 3 + branch) * c.s(14) + math.cos(angle) * t * c.s(9),
                        c.height - c.s(40) + math.sin(angle) * t * c.s(9),
                    )
                    for t in range(30)
                ]
                c.draw.line(points, fill=_shade((120, 150, 60), c.rng.uniform(-0.3, 0.2)), width=int(c.s(12)))


def spices(c: Canvas, name: str) -> None:
    c.background()
    area = (c.s(20), c.s(20), c.width - c.s(20), c.height - c.s(20))
    if "vanili" in name:
        for _ in range(c.rng.randint(9, 14)):
            x, y = c.rng.uniform(c.s(80), c.width - c.s(80)), c.rng.uniform(c.s(60), c.height - c.s(60))
            angle = c.rng.uniform(-0.5, 0.5)
            c.draw.polygon(
                _ellipse(x, y, c.s(260), c.s(10), angle, 30),
                fill=_shade((60, 35, 25), c.rng.uniform(-0.2, 0.2)),
            )
        c.scatter(4, leaf(c, (80, 130, 60), 60, 22), area=area)
    else:
        c.scatter(c.rng.randint(40, 60), grain(c, (225, 205, 170), 26, 22), area=area)


def coconut(c: Canvas, name: str) -> None:
    c.background()
    top = c.ground()
    x, _ = c.spot()
    c.draw.rounded_rectangle(
        [x - c.s(70), top - c.s(280), x + c.s(70), top],
        c.s(24),
        fill=(235, 215, 140),
        outline=(200, 170, 90),
        width=int(c.s(4)),
    )
    c.draw.rectangle([x - c.s(28), top - c.s(340), x + c.s(28), top - c.s(270)], fill=(235, 215, 140))
    c.draw.rectangle([x - c.s(32), top - c.s(365), x + c.s(32), top - c.s(335)], fill=_shade(c.base, -0.4))
    half = x + c.s(240) if x < c.width * 0.6 else x - c.s(240)
    rim = top - c.s(20)
    c.draw.pieslice(
        [half - c.s(130), rim - c.s(130), half + c.s(130), rim + c.s(130)], 0, 180, fill=(110, 70, 40)
    )
    c.draw.ellipse([half - c.s(130), rim - c.s(30), half + c.s(130), rim + c.s(30)], fill=(110, 70, 40))
    c.draw.ellipse([half - c.s(112), rim - c.s(22), half + c.s(112), rim + c.s(22)], fill=(250, 248, 240))


def moringa(c: Canvas, name: str) -> None:
    c.background()
    for _ in range(c.rng.randint(4, 6)):
        x0, y0 = c.rng.uniform(0, c.width), c.rng.uniform(0, c.height * 0.4)
        angle = c.rng.uniform(0.3, 1.3)
        stem = [(x0 + math.cos(angle) * t * c.s(30), y0 + math.sin(angle) * t * c.s(30)) for t in range(14)]
        c.draw.line(stem, fill=(90, 120, 50), width=int(c.s(5)))
        for i, (px, py) in enumerate(stem[1:], 1):
            for side in (-1, 1):
                a = angle + side * math.pi / 2.6
                c.draw.polygon(
                    _ellipse(px + math.cos(a) * c.s(22), py + math.sin(a) * c.s(22), c.s(18), c.s(10), a, 16),
                    fill=_shade((80, 150, 60), (i % 3) * 0.08),
                )
    top = c.ground(0.25)
    x, _ = c.spot()
    if "teh" in name:
        c.draw.rounded_rectangle(
            [x - c.s(110), top - c.s(150), x + c.s(110), top + c.s(20)], c.s(30), fill=(250, 248, 240)
        )
        c.draw.ellipse([x - c.s(110), top - c.s(170), x + c.s(110), top - c.s(130)], fill=(150, 170, 80))
    else:
        c.draw.pieslice(
            [x - c.s(200), top - c.s(170), x + c.s(200), top + c.s(170)], 180, 360, fill=(110, 150, 60)
        )


MOTIFS: dict[str, Callable[[Canvas, str], None]] = {
    "kopi-dan-kakao": coffee,
    "tenun-ikat": ikat,
    "madu": honey,
    "gula-dan-pemanis": sugar,
    "kacang-dan-serealia": grains,
    "olahan-daging-dan-ikan": smoked,
    "hasil-laut": sea,
    "rempah-dan-bumbu": spices,
    "minyak-dan-olahan-kelapa": coconut,
    "herbal-dan-kelor": moringa,
}
