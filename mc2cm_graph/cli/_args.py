"""Argument types: bad values end in argparse's usage message (exit 2) before any work
starts, instead of a timeout that never fires or fires at once."""

from __future__ import annotations

import argparse
import math

MAX_SECONDS = 86_400.0  # a day: beyond this a socket or worker timeout overflows or is a typo


def seconds(text: str) -> float:
    """A time limit in seconds: a finite number above 0, at most a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(
            f"must be positive and finite, at most {MAX_SECONDS:g} s; got {text!r}")
    return value


def positive_int(text: str) -> int:
    """A count of 1 or more (workers, processes)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, not {text!r}")
    return int(text)
