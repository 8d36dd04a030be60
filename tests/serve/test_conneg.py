"""Content and language negotiation."""

import pytest

from mc2cm_graph.serve.conneg import choose_language, choose_media_type

OFFERS = {"text/turtle": "turtle", "application/ld+json": "jsonld", "text/html": "html"}


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "html"),
    ("", "html"),
    ("*/*", "html"),
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("application/ld+json;q=0.9, text/turtle", "turtle"),
    ("text/*", "turtle"),
    ("image/png, text/turtle;q=0.1", "turtle"),
    ("image/png", None),
    ("text/turtle;q=0", None),
    ("text/turtle;q=nonsense, application/ld+json;q=0.2", "turtle"),  # unreadable q: 1
    ("text/*, text/turtle;q=0", "html"),  # the most specific range wins, q=0 excludes
    ("turtle", "html"),  # not a media range at all: a header that cannot be read
    ("text/turtle/x, application/ld+json", "html"),
])
def test_media_type(accept, expected):
    assert choose_media_type(accept, OFFERS, "html") == expected


@pytest.mark.parametrize(("explicit", "header", "expected"), [
    (None, None, "en"),
    (None, "fr-CA,fr;q=0.9,en;q=0.5", "fr"),
    (None, "de, ar;q=0.3", "ar"),
    (None, "zh", "zh-Hans"),
    (None, "en;q=0.5, fr", "fr"),  # weights order the tags, not their place in the header
    (None, "ar;q=0, fr;q=0.2", "fr"),  # q=0: not wanted at all
    (None, "ar;level=0, fr;Q=0.5", "ar"),  # another parameter is no weight
    ("ar", "fr", "ar"),
    ("xx", "fr", "en"),
])
def test_language(explicit, header, expected):
    assert choose_language(explicit, header, ["ar", "en", "fr", "zh-Hans"], "en") == expected
