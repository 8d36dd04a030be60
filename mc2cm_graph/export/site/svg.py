"""A few helpers to write SVG as text (stdlib only): elements, numbers, estimated text widths.

Numbers are written with one decimal at most, so the same input gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape, quoteattr

FONT = "'DejaVu Sans', 'Noto Sans', 'Noto Naskh Arabic', Arial, sans-serif"
INK = "#1f2933"
ACCENT = "#1d6fa3"
MUTED = "#7b8794"
LINE = "#e4e7eb"

# Em widths of a sans-serif face, rounded up a little so estimated boxes err on the wide side.
_NARROW = set(" .,;:'!|()[]ijlrtfI1\u060c")
_WIDE = set("mwMW@%")


def num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float) -> float:
    """An estimate of the width of ``text`` at ``size`` px; combining marks (Arabic
    harakat, shadda) take no width."""
    em = 0.0
    for char in text:
        if unicodedata.combining(char) or char in "\u200e\u200f":
            continue
        if char in _NARROW:
            em += 0.34
        elif "\u0600" <= char <= "\u06ff":
            em += 0.68  # Arabic fonts' letters (and their final forms' tails) run wide
        elif char in _WIDE or char.isupper():
            em += 0.72
        else:
            em += 0.6
    return em * size


def element(tag: str, attrs: dict, content: str | None = None) -> str:
    """``<tag a="…">content</tag>``; attributes whose value is None are left out, the rest
    written in the given order."""
    written = "".join(f" {key.rstrip('_').replace('_', '-')}={quoteattr(_value(value))}"
                      for key, value in attrs.items() if value is not None)
    if content is None:
        return f"<{tag}{written}/>"
    return f"<{tag}{written}>{content}</{tag}>"


def _value(value) -> str:
    return num(value) if isinstance(value, float) else str(value)


def text(content: str) -> str:
    return escape(content)


def lines(texts: list[str], x: float, y_first: float, size: float, anchor: str,
          **attrs) -> str:
    """A text element of one tspan per line, the first line's baseline at ``y_first``."""
    spans = "".join(element("tspan", {"x": x, "y": y_first + i * size * 1.25}, text(t))
                    for i, t in enumerate(texts))
    return element("text", {"font_size": size, "text_anchor": anchor, **attrs}, spans)


def document(width: float, height: float, lang: str, title: str, desc: str,
             body: list[str]) -> bytes:
    """A standalone SVG with a title and description for screen readers (its first
    ``<title>`` and ``<desc>`` name and describe it: SVG 1.1 has no aria-labelledby)."""
    head = element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "width": float(width), "height": float(height),
        "viewBox": f"0 0 {num(width)} {num(height)}", "role": "img",
        "xml:lang": lang, "direction": "rtl" if lang == "ar" else "ltr",
        "font_family": FONT, "fill": INK}, "\n")
    inner = (element("title", {"id": "title"}, text(title)) + "\n"
             + element("desc", {"id": "desc"}, text(desc)) + "\n" + "\n".join(body) + "\n")
    return (head.replace("\n</svg>", inner + "</svg>\n")).encode("utf-8")
