"""HTTP content negotiation: pick a media type from ``Accept`` and a language from
``Accept-Language`` (RFC 9110 §12.5), with an explicit override winning over both."""

from __future__ import annotations


def _weighted(header: str | None) -> list[tuple[str, float]]:
    """``"a/b;q=0.5, c/d"`` -> [("c/d", 1.0), ("a/b", 0.5)]: by q, then header order."""
    items = []
    for position, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for field in fields[1:]:
            name, _, value = field.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((fields[0].lower(), q, position))
    items.sort(key=lambda item: (-item[1], item[2]))
    return [(name, q) for name, q, _ in items]


def choose_media_type(accept: str | None, offers: dict[str, str], default: str) -> str | None:
    """The value of the best ``offers`` entry (media type -> value) for ``accept``;
    ``default`` when the client states no preference; None when nothing offered fits."""
    if not (accept or "").strip():
        return default
    wanted = _weighted(accept)  # may be empty: everything listed had q=0
    for media_type, _ in wanted:
        if media_type == "*/*":
            return default
        if media_type in offers:
            return offers[media_type]
        if media_type.endswith("/*"):
            major = media_type[:-1]
            for offered, value in offers.items():
                if offered.startswith(major):
                    return value
    return None


def choose_language(explicit: str | None, accept_language: str | None,
                    available: list[str], default: str) -> str:
    """``?lang=`` if available, else the best Accept-Language match (``fr-CA`` matches
    ``fr``; ``zh`` matches ``zh-Hans``), else ``default``."""
    candidates = [explicit] if explicit else [tag for tag, _ in _weighted(accept_language)]
    lowered = {tag.lower(): tag for tag in available}
    for tag in candidates:
        tag = tag.lower()
        if tag in lowered:
            return lowered[tag]
        base = tag.split("-")[0]
        for option_lower, option in lowered.items():
            if option_lower.split("-")[0] == base:
                return option
    return default
