"""The catalogue of saved queries: ``queries/*.rq`` files with grlc ``#+`` decorators."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.textfile import read_text
from mc2cm_graph.query.bind import ParamVar, param_vars

REQUIRED_DECORATORS = ("summary", "description", "tags", "method")
# Result views the query page offers (as the Wikidata Query Service's): `#+ view: map`.
VIEWS = ("table", "map", "bar")


@dataclass
class SavedQuery:
    name: str
    path: Path
    text: str
    decorators: dict
    params: list[ParamVar]

    @property
    def needs_external(self) -> bool:
        """Tagged ``outside facts``: it reads the named graphs of mc2cm-external.trig."""
        return "outside facts" in (self.decorators.get("tags") or [])

    @property
    def summary(self) -> str:
        return str(self.decorators.get("summary", "")).strip()

    @property
    def description(self) -> str:
        return " ".join(str(self.decorators.get("description", "")).split())

    @property
    def view(self) -> str:
        """The query page's default view of the results (``#+ view:``), table if none."""
        return str(self.decorators.get("view") or "table")

    def defaults(self) -> dict[str, str]:
        """grlc's ``defaults`` decorator: a list of one-key mappings."""
        merged: dict[str, str] = {}
        for item in self.decorators.get("defaults") or []:
            if isinstance(item, dict):
                merged.update({str(k): str(v) for k, v in item.items()})
        return merged

    def param(self, name: str) -> ParamVar | None:
        return next((p for p in self.params if p.name == name), None)


def decorator_text(text: str) -> str:
    """The YAML of the ``#+`` lines, read the way grlc reads it."""
    return "\n".join(line.lstrip("#+") for line in text.split("\n") if line.startswith("#+"))


def parse_decorators(text: str, path: Path | None = None) -> dict:
    import yaml

    try:
        data = yaml.safe_load(decorator_text(text))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise Mc2cmError(f"decorator block is not valid YAML: {getattr(err, 'problem', err)}",
                         file=path, line=None if mark is None else mark.line + 1,
                         hint="fix the `#+` lines (quote values that contain ': ')") from None
    if not isinstance(data, dict):
        raise Mc2cmError("no grlc decorators (`#+ summary: ...`) at the top of the query",
                         file=path, hint="start the file with `#+ summary:` and friends")
    return data


def load_query(path: Path) -> SavedQuery:
    path = Path(path)
    text = read_text(path)
    try:
        params = param_vars(text)
    except Mc2cmError as err:
        err.file = path
        raise
    decorators = parse_decorators(text, path)
    if str(decorators.get("view") or "table") not in VIEWS:
        raise Mc2cmError(f"unknown view {decorators['view']!r} in the `#+ view:` decorator",
                         file=path, hint="write one of: " + ", ".join(VIEWS))
    return SavedQuery(path.stem, path, text, decorators, params)


def load_catalogue(queries_dir: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query of a folder (default: the project's), by name, sorted."""
    folder = Path(queries_dir or paths.QUERIES_DIR)
    return {p.stem: load_query(p) for p in sorted(folder.glob("*.rq"))}


def get_query(name: str, queries_dir: Path | None = None) -> SavedQuery:
    """One saved query by name; reads only its own file (the server and the benchmark call
    this per request), and the whole folder only to list the names in an error."""
    folder = Path(queries_dir or paths.QUERIES_DIR)
    if name.endswith(".rq"):
        name = name[:-3]
    path = folder / f"{name}.rq"
    if "/" in name or name.startswith(".") or not path.is_file():
        raise Mc2cmError(f"unknown query {name!r}",
                         hint="choose one of: " + ", ".join(load_catalogue(folder))
                         + " (`mc2cm-graph queries` lists them)")
    return load_query(path)
