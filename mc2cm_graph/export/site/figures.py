"""The SDG-target × theme matrix for the site, written as SVG text by hand (no plotting
library): how many programmes address a theme and serve a target. (The maps are in
export/site/maps.py.)

Text stays text so browsers shape Arabic; the Arabic matrix is mirrored (right to left).
Every number is rounded to one decimal, so output is byte-identical from run to run.
"""

from __future__ import annotations

import textwrap

from mc2cm_graph.export.site.data import SiteData
from mc2cm_graph.export.site.svg import (
    INK,
    MUTED,
    document,
    element,
    lines,
    text_width,
)

PAD = 12.0
LABEL_SIZE = 12.0
LINE_HEIGHT = 15.0
CELL_W, CELL_H = 46.0, 34.0
GOAL_GAP = 8.0
# Stops of a white-to-blue ramp (ColorBrewer "Blues").
RAMP = [(0.0, (247, 251, 255)), (0.25, (198, 219, 239)), (0.5, (107, 174, 214)),
        (0.75, (33, 113, 181)), (1.0, (8, 48, 107))]


def matrix_counts(data: SiteData) -> list[list[int]]:
    """counts[i][j]: programmes addressing theme i and serving target j."""
    return [[sum(1 for p in theme.programmes if target in p.targets) for target in data.targets]
            for theme in data.themes]


def _shade(share: float) -> str:
    for (low, a), (high, b) in zip(RAMP, RAMP[1:], strict=False):
        if share <= high:
            f = (share - low) / (high - low)
            return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*RAMP[-1][1])


def _goal_runs(data: SiteData) -> list[tuple[str, int, int]]:
    """(goal, first column, last column) for each run of targets of the same goal."""
    runs: list[tuple[str, int, int]] = []
    for j, target in enumerate(data.targets):
        goal = target.goal.slug if target.goal else target.slug.split(".")[0]
        if runs and runs[-1][0] == goal:
            runs[-1] = (goal, runs[-1][1], j)
        else:
            runs.append((goal, j, j))
    return runs


def matrix_svg(data: SiteData, lang: str, titles: dict[str, str]) -> bytes:
    counts = matrix_counts(data)
    rtl = lang == "ar"
    runs = _goal_runs(data)
    goal_of = {j: g for g, (_, first, last) in enumerate(runs) for j in range(first, last + 1)}
    wrapped = [textwrap.wrap(t.label(lang), 42) or [t.slug] for t in data.themes]
    heights = [max(CELL_H, len(ws) * LINE_HEIGHT + 6) for ws in wrapped]
    label_w = max((text_width(line, LABEL_SIZE) for ws in wrapped for line in ws),
                  default=0) + 10
    width_m = len(data.targets) * CELL_W + max(len(runs) - 1, 0) * GOAL_GAP
    top_m = PAD + 26 + 22
    x_m = PAD if rtl else PAD + label_w

    def column_x(j: int) -> float:
        offset = j * CELL_W + goal_of[j] * GOAL_GAP
        return x_m + width_m - offset - CELL_W if rtl else x_m + offset

    top = max((max(row, default=0) for row in counts), default=0)
    body = [lines([titles["targets"]], x_m + width_m / 2, PAD + 14, 13.0, "middle",
                   font_weight="bold")]
    for j, target in enumerate(data.targets):
        body.append(lines([target.slug], column_x(j) + CELL_W / 2, top_m - 8, 11.0, "middle",
                           direction="ltr"))
    y = top_m
    for i, (theme, wrapped_label) in enumerate(zip(data.themes, wrapped, strict=True)):
        h = heights[i]
        edge = x_m + width_m + 8 if rtl else x_m - 8
        first = y + h / 2 - (len(wrapped_label) - 1) * LINE_HEIGHT / 2 + LABEL_SIZE * 0.35
        body.append(lines(wrapped_label, edge, first, LABEL_SIZE, "end"))
        for j, target in enumerate(data.targets):
            body.append(_cell(counts[i][j], top, column_x(j), y, h, theme.slug, target.slug))
        y += h
    body += _goal_labels(runs, column_x, y + 6, titles["goal"])
    width = PAD * 2 + label_w + width_m
    return document(width, y + 48, lang, titles.get("matrix_title", titles["targets"]),
                    titles.get("matrix_caption", ""), body)


def _cell(n: int, top: int, x: float, y: float, h: float, theme: str, target: str) -> str:
    fill = _shade(n / (max(top, 1) * 1.25))
    rect = element("rect", {"x": x + 1, "y": y + 1, "width": CELL_W - 2, "height": h - 2,
                            "fill": fill, "class": "cell", "data_theme": theme,
                            "data_target": target, "data_count": n})
    if not n:
        return rect
    label = lines([str(n)], x + CELL_W / 2, y + h / 2 + 4, 12.0, "middle",
                   fill="#ffffff" if n > top * 0.6 else INK)
    return rect + label


def _goal_labels(runs, column_x, y: float, word: str) -> list[str]:
    """Under the matrix, the goal of each run of targets (on two lines when it is narrow)."""
    found = []
    for goal, first, last in runs:
        xs = [column_x(first), column_x(last)]
        centre = (min(xs) + max(xs) + CELL_W) / 2
        span = max(xs) - min(xs) + CELL_W
        phrase = f"{word} {goal}"
        written = [phrase] if text_width(phrase, 11.0) <= span - 4 else [word, goal]
        found.append(element("line", {"x1": min(xs) + 2, "y1": y, "x2": max(xs) + CELL_W - 2,
                                      "y2": y, "stroke": MUTED, "stroke_width": 1}))
        found.append(lines(written, centre, y + 14, 11.0, "middle"))
    return found
