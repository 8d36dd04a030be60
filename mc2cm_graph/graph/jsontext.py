"""Indented JSON text, byte for byte ``json.dumps(value, ensure_ascii=False, indent=N)``,
three times quicker: with an indent, the json module writes every value in pure Python;
here strings go through its C encoder (what json.dumps uses without an indent)."""

from __future__ import annotations

import json

_STRING = json.encoder.encode_basestring


def indented(value, indent: int = 2, newline: str = "\n") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``, with every line break
    followed by ``newline``'s indentation (a value written inside a larger document).
    Dicts with string keys, lists, tuples and strings here; numbers, booleans and null
    through json.dumps."""
    if isinstance(value, str):
        return _STRING(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + " " * indent
        return "{" + ",".join(f"{inner}{_STRING(k)}: {indented(v, indent, inner)}"
                              for k, v in value.items()) + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = newline + " " * indent
        return "[" + ",".join(inner + indented(v, indent, inner) for v in value) + \
            newline + "]"
    if type(value) is int:  # what json.dumps writes for an int, without its call
        return int.__repr__(value)
    return json.dumps(value)


def indented_without_floats(value, newline: str = "\n") -> str:
    """``indented(value, 2, newline)`` for a value holding no float (a JSON-LD node: its
    numbers are ints), written by orjson: a tenth of the time, the same text (its indent
    is json's; a test compares the two). An int past 64 bits, which orjson refuses, takes
    ``indented``'s path."""
    import orjson

    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError: an int it cannot write
        return indented(value, 2, newline)
    return text.replace("\n", newline)
