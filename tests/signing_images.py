"""The signature image (blue strokes) and the seal image (a red ring with a star) as transparent
PNGs, drawn by the tests with Pillow; never stored in the repository."""
from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (20, 40, 190, 255)
RED = (215, 20, 30, 255)


def signature_png(path: Path, size: tuple[int, int] = (600, 220)) -> Path:
    """A wide, blue, hand-like stroke on a transparent background."""
    w, h = size
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [(int(20 + (w - 40) * t / 200), int(h / 2 + (h / 3) * math.sin(t / 9) * math.cos(t / 31)))
              for t in range(201)]
    draw.line(points, fill=BLUE, width=9, joint="curve")
    draw.line([(w * 0.15, h * 0.8), (w * 0.85, h * 0.72)], fill=BLUE, width=6)
    img.save(path, "PNG", dpi=(300, 300))
    return path


def seal_png(path: Path, size: int = 400) -> Path:
    """A red round seal: two rings and a star, transparent around and inside."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    m = size * 0.02
    draw.ellipse([m, m, size - m, size - m], outline=RED, width=int(size * 0.035))
    m2 = size * 0.22
    draw.ellipse([m2, m2, size - m2, size - m2], outline=RED, width=int(size * 0.02))
    c, r = size / 2, size * 0.18
    star = [(c + (r if i % 2 == 0 else r / 2.6) * math.sin(i * math.pi / 5),
             c - (r if i % 2 == 0 else r / 2.6) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=RED)
    img.save(path, "PNG", dpi=(290, 290))
    return path


def opaque_png(path: Path) -> Path:
    """A PNG without transparency (refused as a signature image)."""
    Image.new("RGB", (300, 100), (255, 255, 255)).save(path, "PNG")
    return path
