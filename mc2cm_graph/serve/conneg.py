"""HTTP content negotiation: a media type from ``Accept`` (python-mimeparse, RFC 9110
§12.5.1: q-values, q=0 excludes, ``type/*`` and ``*/*`` ranges, most specific range
wins) and a language from ``Accept-Language``, an explicit override winning over both."""

from __future__ import annotations


def choose_media_type(accept: str | None, offers: dict[str, str], default: str) -> str | None:
    """The value of the best ``offers`` entry (media type -> value, most preferred first)
    for ``accept``; ``default`` when the client states no preference or sends a header
    that cannot be read; None when nothing offered fits."""
    import mimeparse

    if not (accept or "").strip():
        return default
    try:
        # mimeparse breaks ties in favour of the last entry: most preferred last.
        best = mimeparse.best_match(list(reversed(offers)), accept)
    except (ValueError, IndexError):
        return default
    if not best:
        return None
    if _only_wildcards(accept) and default in offers.values():
        return default
    return offers[best]


def _only_wildcards(accept: str) -> bool:
    return all(part.split(";")[0].strip() == "*/*" for part in accept.split(",") if part.strip())


def _weighted_languages(header: str | None) -> list[str]:
    """``"fr-CA,fr;q=0.9,en;q=0.5"`` -> tags by q (ties in header order), q=0 dropped."""
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
    return [tag for tag, _, _ in items]


def choose_language(explicit: str | None, accept_language: str | None,
                    available: list[str], default: str) -> str:
    """``?lang=`` if available, else the best Accept-Language match (``fr-CA`` matches
    ``fr``; ``zh`` matches ``zh-Hans``), else ``default``."""
    candidates = [explicit] if explicit else _weighted_languages(accept_language)
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
