"""Mutation testing of the core folders with Cosmic Ray, one session per module, each module
run against its own tests only; writes the kill rate per module and per folder and every
surviving mutant to docs/mutation-testing.md (between the markers of its "Latest run" section).

Not part of CI's run (minutes to hours). Install the tool with ``pip install -e ".[mutation]"``.

    nice python bench/mutation.py serve check --sample 40 --step 2 --budget 80   # 80 minutes
    python bench/mutation.py check/qc.py --sample 0                     # every mutant of one module
    python bench/mutation.py serve check --sample 40 --report           # rewrite the report only

- Modules: every non-empty ``*.py`` of the folders named (found on disk, not listed here).
- Tests of a module: the test files that import it, plus those listed in EXTRA_TESTS (for
  modules reached over HTTP or the CLI only). They run once unmutated first: files are then
  ordered fastest first (``-x`` stops at the first failure, so a kill is found early), tests
  that fail unmutated are deselected and named in the report, and a mutant's timeout is
  three times that run (at least a minute).
- Sample: ``--sample N`` mutants per module (stratified), drawn from one permutation fixed by
  ``--seed``; the sample grows ``--step`` per module per round, so every module is reached
  before any gets more, and a later run with a larger N extends the same sample. ``0``: all.
- Resumable: sessions are SQLite files in bench/.mutation (git-ignored); a run stopped by
  ``--budget`` goes on where it stopped next time. ``--recheck`` tries the survivors again
  on the tests as they are now.
- Mutants are applied in a scratch copy of the tracked files, never in the working tree.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "mc2cm_graph"
STATE = ROOT / "bench" / ".mutation"  # session files (git-ignored); resumable
REPORT = ROOT / "docs" / "mutation-testing.md"
BEGIN, END = "<!-- mutation-report:begin -->", "<!-- mutation-report:end -->"
PYTEST = "python -m pytest -q -x -p no:randomly -p no:cacheprovider"
# A mutant's tests are stopped after TIMEOUT_FACTOR times their unmutated run (at least
# MIN_TIMEOUT seconds); such a mutant counts as killed (it hangs or slows them), and the
# report counts these apart.
TIMEOUT_FACTOR, MIN_TIMEOUT = 3.0, 60.0
BASELINES = STATE / "baselines.json"
STATUSES = STATE / "statuses.json"
LOGS = STATE / "logs"

# Test selection, derived: the test files that import a module (``mc2cm_graph.serve.guard``
# or ``from mc2cm_graph.serve import guard``), plus the files (or single tests, file::name,
# where the rest of the file is slow and about something else) listed here for modules that
# tests reach through public behaviour only (HTTP, the CLI) without importing them. Paths
# that do not exist (files moved) are left out with a warning; update them here.
EXTRA_TESTS: dict[str, list[str]] = {
    "serve/admission.py": ["tests/serve/test_endpoint_flood.py"],
    "serve/api.py": ["tests/serve/test_server_api.py", "tests/serve/test_query_page.py::"
                     "test_api_lists_the_catalogue_without_internal_names"],
    "serve/app.py": ["tests/serve/test_server_protocol.py", "tests/serve/test_serve_cli.py",
                     "tests/serve/test_endpoint_flood.py"],
    "serve/runner.py": ["tests/serve/test_server_protocol.py",
                        "tests/serve/test_serve_cli.py"],
    "serve/conneg.py": ["tests/serve/test_server_protocol.py"],
    "serve/cors.py": ["tests/serve/test_cross_origin.py"],
    "serve/errors.py": ["tests/serve/test_server_protocol.py"],
    "serve/formats.py": ["tests/serve/test_server_protocol.py",
                         "tests/serve/test_server_api.py"],
    "serve/linked_data.py": ["tests/serve/test_server_linked_data.py"],
    "serve/service.py": ["tests/serve/test_query_pool.py", "tests/serve/test_endpoint_flood.py"],
    "serve/sparql.py": ["tests/serve/test_server_protocol.py",
                        "tests/serve/test_public_endpoint.py::"
                        "test_a_chunked_body_without_a_length_is_read",
                        "tests/serve/test_public_endpoint.py::"
                        "test_a_body_announced_over_the_limit_is_refused_before_it_is_sent"],
    "check/compiled.py": ["tests/check/test_fastvalidate.py"],
    "check/fast.py": ["tests/check/test_fastvalidate.py"],
    "check/qc.py": ["tests/check/test_qc.py"],
    "check/run.py": ["tests/cli/test_cli_validate.py"],
    "check/target_links.py": ["tests/check/test_target_links.py"],
    "check/target_wording.py": ["tests/check/test_target_links.py"],
    "check/engines.py": ["tests/cli/test_cli_validate.py"],
    "serve/settings.py": ["tests/serve/test_serve_cli.py"],
    "query/bind.py": ["tests/query/test_query_params.py"],
    "query/saved.py": ["tests/query/test_query_catalogue.py"],
    "query/describe.py": ["tests/export/test_linked_data_cbd.py"],
    "query/engine.py": ["tests/test_engines.py"],
    "query/format.py": ["tests/query/test_query_cli.py"],
    "query/limits.py": ["tests/serve/test_query_pool.py"],
    "query/params.py": ["tests/query/test_query_params.py"],
    "query/pool.py": ["tests/serve/test_query_pool.py"],
    "query/dist.py": ["tests/query/test_query_cli.py"],
    "query/run.py": ["tests/query/test_query_expected_rows.py"],
    "query/sandbox.py": ["tests/serve/test_public_endpoint.py"],
    "export/atomic.py": ["tests/export/test_atomic.py"],
    "export/catalog.py": ["tests/export/test_export_catalog.py"],
    "export/geojson.py": ["tests/export/test_geojson.py"],
    "export/outdir.py": ["tests/cli/test_out_folder.py"],
    "export/rdf.py": ["tests/export/test_export_rdf.py"],
    "export/static_ld.py": ["tests/export/test_static_ld.py"],
}
FOLDERS = ("serve", "query", "check", "export")
# Modules whose derived selection is too slow to run once per mutant (tests/check/
# test_shapes.py runs pyshacl on each of its 137 negative fixtures: about 20 minutes here):
# these tests run instead (a smaller selection can only kill fewer mutants). For the
# reference engine, the tests that run it on the seed data
# and on a few broken copies of it, compared with the fast engine's report and the CLI's.
FAST_SHAPES = ["tests/check/test_shapes.py::test_shapes_pass_shacl_for_shacl",
               "tests/check/test_shapes.py::test_shacl_for_shacl_catches_a_broken_shape",
               "tests/check/test_shapes.py::test_project_data_conforms"]
TESTS_INSTEAD: dict[str, list[str]] = {
    "check/reference.py": ["tests/check/test_reference_paths.py", "tests/cli/test_cli_validate.py",
                           "tests/check/test_fastvalidate.py", *FAST_SHAPES],
    "check/report.py": ["tests/cli/test_cli_validate.py", "tests/check/test_fastvalidate.py",
                        *FAST_SHAPES],
    # its status table is imported by seven test files (floods and properties among them):
    # the quick ones that reach every status through the server or the worker
    "serve/errors.py": ["tests/serve/test_admission.py", "tests/serve/test_query_pool.py",
                        "tests/serve/test_server_protocol.py"],
}

# Survivors answered: (module, text the mutant removes, text it adds, answer). The answer
# begins with its kind: "killed since" (a test written after the run; --recheck confirms
# it), "equivalent" (no behaviour differs) or "harmless" (a difference no user can meet).
ANSWERS: list[tuple[str, str, str, str]] = [
    ("check/compiled.py", "conforming.get(f, 0) > bound", "conforming.get(f, 0) >= bound",
     "killed since: tests/check/test_fastvalidate.py::test_a_qualified_maximum_reached_exactly_"
     "conforms_as_pyshacl_says"),
    ("check/qc.py", "except SyntaxError as err", "except ",
     "killed since: tests/check/test_qc.py::"
     "test_rule_that_is_not_sparql_is_refused_naming_its_file"),
    ("check/run.py", 'if engine == "reference"', 'if engine != "reference"',
     "killed since: tests/cli/test_cli_validate.py::test_validate_files_runs_the_engine_asked_for"
     " (validate FILE; the same mutant in validate_project is not told apart: the engines "
     "give the same report)"),
    ("check/target_wording.py", "if scorer.best(w)[0] != t)", "if scorer.best(w)[0] ",
     "killed since: tests/check/test_target_links.py::test_the_calibration_names_a_wording_traced_"
     "to_another_target"),
    ("check/report.py", "split(maxsplit=1)[0]", "[0]",
     "equivalent: only the first token is used, the same for any maxsplit of 1 or more"),
    ("serve/api.py", 'if "example" in described', 'if not "example" in described',
     "killed since: tests/serve/test_server_api.py::test_the_listing_gives_each_parameter_"
     "what_the_openapi_gives"),
    ("serve/api.py", '== "uri"', 'is "uri"',
     "killed since: tests/serve/test_query_page.py::test_api_lists_the_catalogue_without_"
     "internal_names (an existing test, now in EXTRA_TESTS)"),
    ("serve/app.py", "MAX_SENDING_BYTES = 256 * 1024 * 1024", "MAX_SENDING_BYTES = 256 //",
     "killed since: tests/serve/test_endpoint_flood.py::test_a_client_that_reads_gets_a_big_"
     "answer_whole"),
    ("serve/app.py", "BACKLOG = 1024", "BACKLOG = 10",
     "harmless: the listen backlog is a hint to the kernel (capped by net.core.somaxconn); "
     "one slot more or fewer shows only with a thousand connections waiting to be accepted"),
    ("serve/app.py", "max_bytes: int = 16 * 1024 * 1024", "max_bytes: int =",
     "removed: Settings' defaults were never used (its one caller, cli/serve.py, gives every "
     "field): gone, each default now written once, in serve's options"),
    ("serve/conneg.py", 'if name.strip().lower() == "q"', 'if name.strip().lower() != "q"',
     "killed since: tests/serve/test_conneg.py::test_language (weights, q=0, other "
     "parameters)"),
    ("serve/linked_data.py", "rank < ranked[x][0]", "rank != ranked[x][0]",
     "killed since: tests/serve/test_server_linked_data.py::test_a_page_is_titled_with_the_"
     "label_in_its_language"),
    ("serve/service.py", "return self.light.pids() + self.heavy.pids()", "pids()",
     "removed: the method had no caller anywhere (package, tests, bench) and is gone"),
    ("serve/service.py", "except Exception:", "except ",
     "harmless: not reachable through public behaviour: both lanes start the same worker "
     "program on the same release, so the heavy lane fails alone only when the machine runs "
     "out of processes or memory between the two starts; the clean-up is kept"),
    ("serve/service.py", "max_results: int = 10_000", "max_results: int =",
     "removed: Limits' defaults were never used (its one caller passes every field): gone"),
    ("serve/service.py", "memory_budget: int = 128 * 1024 * 1024", "memory_budget: int =",
     "removed: Limits' defaults were never used (its one caller passes every field): gone"),
    ("serve/service.py", "max_bytes: int = 16 * 1024 * 1024", "max_bytes: int =",
     "removed: Limits' defaults were never used (its one caller passes every field): gone"),
    ("serve/sparql.py", "if length is not None and length.isdigit()", "if length is None",
     "killed since: tests/serve/test_public_endpoint.py::test_a_chunked_body_without_a_"
     "length_is_read and ::test_a_body_announced_over_the_limit_is_refused_before_it_is_sent"),
    ("serve/sparql.py", 'if content_type == "application/sparql-query"',
     'if content_type <= "application/sparql-query"',
     "killed since: tests/serve/test_server_protocol.py::test_a_body_of_another_type_is_415"),
    ("serve/service.py", "with_external: bool = False", "with_external: bool = True",
     "removed: the default was never used (the one caller passed serve's --with-external); "
     "QueryService now takes Settings, which has no defaults"),
    ("serve/service.py", "LIGHT_WORKERS = 3", "LIGHT_WORKERS = ",
     "killed since: tests/serve/test_endpoint_flood.py::test_the_light_lane_reads_three_"
     "client_queries_at_once (30 addresses: the refusals name the 3 places)"),
    ("serve/service.py", "LIGHT_PER_CLIENT = 1", "LIGHT_PER_CLIENT = ",
     "killed since: tests/serve/test_endpoint_flood.py::test_one_client_cannot_hold_every_"
     "light_worker (16 bombs from one address: refused naming its 1 query being read)"),
    ("serve/service.py", "LIGHT_WAIT_SECONDS = 5", "LIGHT_WAIT_SECONDS = ",
     "killed since: tests/serve/test_endpoint_flood.py::test_one_client_cannot_hold_every_"
     "light_worker (refused after 5 s, not before, saying it waited 5 s)"),
    ("serve/linked_data.py", "MAX_INCOMING = 200", "MAX_INCOMING = ",
     "killed since: tests/serve/test_server_linked_data.py::test_a_page_lists_at_most_200_"
     "resources_that_point_to_it (250 more referrers in a copy of the release)"),
    ("check/compiled.py", "return stated[0] if len(stated) == 1", "return stated[ -1] if",
     "equivalent: the list has exactly one element there, so [0] and [-1] are the same"),
    ("check/compiled.py", "if predicate == SH.qualifiedMinCount else", "if predicate >= SH.",
     "equivalent: the branch is reached for sh:qualifiedMinCount and sh:qualifiedMaxCount "
     "only, and of these only ...MinCount is >= ...MinCount ('Max' sorts before 'Min')"),
    ("check/reference.py", "inplace=True,", "inplace=False,",
     "harmless: inplace only spares pyshacl a copy of the data graph; with no inference "
     "nothing is added to it, so the report is the same either way (time and memory differ)"),
    ("serve/errors.py", '"not-acceptable": 406', '"not-acceptable": ',
     "killed since: tests/serve/test_server_protocol.py::test_a_format_of_the_other_query_"
     "form_is_406 (RDF asked for a SELECT or an ASK, results for a CONSTRUCT)"),
    ("serve/guard.py", "seen += 1", "seen += ",
     "harmless: the node cap (MAX_PARSE_NODES, 50,000) cannot be reached on this machine "
     "within the parse's 0.75 s of CPU and the 32 KB length: the densest shapes measured "
     "give 19,000 (collections) to 38,000 (object lists) nodes a CPU second, so at most "
     "about 30,000 nodes are parsed; the cap is a backstop for a faster machine"),
    ("check/report.py", 'text[: limit - 1] + "…"', 'text[: limit - 1] ',
     "killed since: tests/cli/test_cli_validate.py::test_a_long_value_is_shown_clipped_to_"
     "120_characters"),
    ("serve/runner.py", 'if host == "localhost"', 'if host ',
     "removed: is_loopback is given the socket's own address (getsockname), always numeric, "
     "so the 'localhost' branch (and the bracket and ValueError handling) was dead: gone"),
    ("serve/settings.py", "@dataclass(frozen=True)", "@dataclass(frozen=False)",
     "killed since: tests/serve/test_settings.py::test_settings_cannot_be_changed_once_built "
     "(the runner and the service share one value, unchanged)"),
    ("serve/runner.py", "if err.errno == errno.EACCES", "if not err.errno == errno.EACCES",
     "killed since: tests/serve/test_serve_cli.py::test_an_address_not_of_this_machine_is_a_"
     "clear_error (--host 192.0.2.1: the hint names the address, not privileges)"),
    ("serve/service.py", "retry_after=1,", "retry_after=",
     "killed since: tests/serve/test_endpoint_flood.py::test_one_client_cannot_hold_every_"
     "light_worker (the refusal says: try again in 1 s)"),
    ("check/report.py", 'text[: limit - 1] + "…"', 'text[: limit // 1]',
     "killed since: tests/cli/test_cli_validate.py::test_a_long_value_is_shown_clipped_to_"
     "120_characters"),
    ("check/run.py", 'if engine == "reference"', 'if engine is "reference"',
     "killed since: tests/cli/test_cli_validate.py::test_validate_files_runs_the_engine_asked"
     "_for, which now passes the engine from the command line (a string of the test's own "
     "code is interned, so `is` held there; one from argv is not)"),
    ("serve/settings.py", "WRITE_SECONDS = 30", "WRITE_SECONDS = ",
     "removed: Settings' defaults (this one also runner._protocol_class's) were never "
     "used; each default is now written once, in serve's options"),
    ("serve/api.py", "values[key] = given[0]", "values[key] = given[ -1]",
     "equivalent: a parameter given more than once is refused just above, so the list has "
     "one element there"),
    ("serve/app.py", '.get(b"content-length") or 0)', '.get(b"content-length") or -1)',
     "harmless: an answer without Content-Length is held as -1 byte instead of 0 while it "
     "is sent and the same given back at its end: the budget of answers in flight is off "
     "by one byte per such answer (and every route gives a length)"),
    ("serve/sparql.py", "BODY_SECONDS = 10", "BODY_SECONDS = ",
     "killed since: tests/serve/test_public_endpoint.py::test_a_body_that_stops_arriving_is_"
     "408_after_10_s"),
    ("check/mqa.py", '(121, "Sufficient")', '"Sufficient")',
     "killed since: tests/check/test_mqa_ratings.py (each rating's bounds, as the MQA "
     "methodology gives them)"),
    ("check/fast.py", 'rsplit("#", 1)[-1]', 'rsplit("#", 2)[-1]',
     "equivalent: the last piece of a split from the right is the same for any maxsplit "
     "of 1 or more"),
    ("check/mqa.py", "1.0 if compliant(graph) else 0.0", "1.0 if compliant(graph) else 1.0",
     "killed since: tests/check/test_mqa_ratings.py::test_dcat_ap_compliance_is_worth_30_"
     "points_all_or_nothing"),
    ("serve/errors.py", '"busy": 503', '"busy": ',
     "killed since: tests/serve/test_query_pool.py::test_a_pool_with_every_worker_occupied_"
     "past_the_wait_answers_503"),
    ("serve/runner.py", "socket.SO_REUSEADDR, 1)", "socket.SO_REUSEADDR, 2)",
     "equivalent: SO_REUSEADDR is a boolean option; any value other than 0 sets it"),
    ("check/reference.py", 'inference="none", advanced=True,', 'inference="none", advanced=False,',
     "equivalent: advanced=True lets pyshacl run SHACL Advanced Features (SPARQL-based "
     "targets, rules, functions, node expressions), and the project's shapes use none of "
     "them (shapes/*.ttl), so the report is the same"),
    ("check/reference.py", "if data_graph is None or value is None or not isinstance",
     "if data_graph is None or value is None and not isinstance",
     "killed since: tests/check/test_reference_paths.py::test_a_count_on_an_alternative_"
     "path_names_the_whole_path (a sh:maxCount result, with no value, on a|b whose focus "
     "states only a: the mutant named a instead of a|b)"),
    ("serve/sparql.py", 'request.method == "POST"', 'request.method >= "POST"',
     'equivalent: the route admits GET, HEAD and POST only; of these only POST is >= "POST"'),
    ("serve/admission.py", "if self._running[client] <= 0:", "if self._running[client] <= -1:",
     "harmless: a client with no query counts 0 either way, so every admission is the same; "
     "one dictionary entry is kept per client address seen (memory, not behaviour)"),
    ("serve/guard.py", "PARSER_STACK_BYTES = 256 * 1024 * 1024", "PARSER_STACK_BYTES = ",
     "harmless: a resource margin a fraction smaller or larger; only a query needing "
     "parser stack within that fraction would be read differently"),
]


def discover_modules(selection: list[str]) -> list[str]:
    """The modules (``serve/guard.py``) of the folders or files named, found on disk (every
    non-empty ``*.py`` of a folder); the four core folders if none is named."""
    modules: list[str] = []
    for name in selection or list(FOLDERS):
        path = ROOT / PACKAGE / name
        if path.is_dir():
            found = sorted(f"{name.strip('/')}/{file.name}" for file in path.glob("*.py")
                           if file.stat().st_size)
        elif path.is_file() and path.suffix == ".py":
            found = [name]
        else:
            sys.exit(f"error: {PACKAGE}/{name}: no such folder or module\n  how to fix: name "
                     f"a folder ({', '.join(FOLDERS)}) or a module such as check/qc.py")
        modules += [module for module in found if module not in modules]
    return modules


def importing_tests(module: str) -> list[str]:
    """The test files that import ``module`` (read as Python, not matched as text)."""
    import ast

    dotted = f"{PACKAGE}.{module.removesuffix('.py').replace('/', '.')}"
    parent, _, leaf = dotted.rpartition(".")
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Import)
                    and any(a.name == dotted or a.name.startswith(dotted + ".")
                            for a in node.names)) or (
                    isinstance(node, ast.ImportFrom) and node.level == 0 and (
                        node.module == dotted or (node.module or "").startswith(dotted + ".")
                        or (node.module == parent and any(a.name == leaf
                                                         for a in node.names)))):
                found.append(path.relative_to(ROOT).as_posix())
                break
    return found


def tests_for(module: str) -> list[str]:
    """The test files of ``module``: those that import it, then its listed extras (or, for
    a module listed in TESTS_INSTEAD, the tests listed there)."""
    extras = []
    for name in TESTS_INSTEAD.get(module, EXTRA_TESTS.get(module, [])):
        if (ROOT / name.split("::")[0]).is_file():
            extras.append(name)
        else:
            print(f"warning: {name} (listed for {module} in EXTRA_TESTS) does not exist: "
                  "left out; update EXTRA_TESTS in bench/mutation.py", file=sys.stderr)
    derived = [] if module in TESTS_INSTEAD else importing_tests(module)
    return list(dict.fromkeys(derived + extras))


def scratch_copy(target: Path) -> None:
    """The tracked files of the checkout (as they are on disk) copied to ``target``."""
    if target.exists():
        shutil.rmtree(target)
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, names):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def session_paths(module: str) -> tuple[Path, Path]:
    stem = module.replace("/", "-").removesuffix(".py")
    return STATE / f"{stem}.toml", STATE / f"{stem}.sqlite"


def write_config(module: str, command: str, timeout: float) -> None:
    config, _ = session_paths(module)
    config.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{PACKAGE}/{module}"\n'
        f"timeout = {timeout:.0f}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(command)}\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n', encoding="utf-8")


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) of every annotation of a module that is never evaluated: with
    ``from __future__ import annotations`` a mutant inside one is equivalent."""
    import ast

    tree = ast.parse(source)
    if not any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
               and any(alias.name == "annotations" for alias in node.names)
               for node in tree.body):
        return []
    spans = []
    for node in ast.walk(tree):
        for annotation in (getattr(node, "annotation", None), getattr(node, "returns", None)):
            if isinstance(annotation, ast.expr):
                spans.append(((annotation.lineno, annotation.col_offset),
                              (annotation.end_lineno, annotation.end_col_offset)))
    return spans


ANNOTATION = "inside an annotation, never evaluated: equivalent"
NOT_DRAWN = "not in this run's sample"


def draw_sample(session: Path, module: str, size: int, seed: int) -> None:
    """Mutants inside annotations marked equivalent; of the others, the first ``size`` of
    one permutation drawn with ``seed`` made pending and the rest marked not drawn (0: all).
    The permutation depends on the seed only, so a larger ``size`` later extends the sample
    a run has already tested (stratified: ``size`` per module)."""
    import sqlite3

    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    spans = annotation_spans((ROOT / PACKAGE / module).read_text(encoding="utf-8"))

    def in_annotation(item) -> bool:
        start = tuple(item.mutations[0].start_pos)
        return any(low <= start < high for low, high in spans)

    with use_db(str(session), WorkDB.Mode.open) as db:
        items = list(db.work_items)
        outputs = {item.job_id: result.output for item, result in db.completed_work_items}
        equivalent = [item.job_id for item in items
                      if in_annotation(item) and outputs.get(item.job_id) != ANNOTATION]
        eligible = sorted(item.job_id for item in items if not in_annotation(item))
        order = random.Random(seed).sample(eligible, len(eligible))
        drawn = order if not size else order[:size]
        undraw = [job for job in order[len(drawn):] if job not in outputs]
        redraw = [job for job in drawn if outputs.get(job) == NOT_DRAWN]
    with use_db(str(session), WorkDB.Mode.open) as db:
        if equivalent:
            with sqlite3.connect(session) as raw:
                raw.executemany("DELETE FROM work_results WHERE job_id = ?",
                                [(job,) for job in equivalent])
            db.set_multiple_results(equivalent, WorkResult(
                output=ANNOTATION, worker_outcome=WorkerOutcome.SKIPPED))
        if undraw:
            db.set_multiple_results(undraw, WorkResult(
                output=NOT_DRAWN, worker_outcome=WorkerOutcome.SKIPPED))
    if redraw:
        with sqlite3.connect(session) as raw:
            raw.executemany("DELETE FROM work_results WHERE job_id = ?",
                            [(job,) for job in redraw])


def run(command: list[str], cwd: Path, env: dict, seconds: float,
        capture: bool = False) -> tuple[int | None, str]:
    """Run ``command`` niced in its own process group: (exit status, None when ``seconds``
    ran out; its output when ``capture``)."""
    process = subprocess.Popen(["nice", "-n", "10", *command], cwd=cwd, env=env,
                               stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                               stderr=subprocess.STDOUT if capture else subprocess.DEVNULL,
                               text=capture, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=max(seconds, 1))
        return process.returncode, output or ""
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        return None, ""


def forget_survivors(session: Path) -> None:
    """Survivors of earlier runs made pending again (to be tried on the tests as they are)."""
    import sqlite3

    with sqlite3.connect(session) as db:
        db.execute("DELETE FROM work_results WHERE lower(test_outcome) = 'survived'")


def baseline(module: str, copy: Path, env: dict, deadline: float) -> dict:
    """The module's tests run once unmutated: their files ordered fastest first (so a mutant
    is killed early under ``-x``), the tests that fail unmutated (deselected, and named in
    the report), and the time the run took."""
    files = tests_for(module)
    if not files:
        return {"status": "no tests found"}
    started = time.time()
    code, output = run(PYTEST.split() + ["--durations=0", "--durations-min=0", "-rfE",
                                         "--maxfail=100000", *files], copy, env,
                       deadline - time.time(), capture=True)
    seconds = time.time() - started
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"baseline-{module.replace('/', '-')}.txt").write_text(output, encoding="utf-8")
    if code is None:
        return {"status": "out of time"}
    per_file = dict.fromkeys(files, 0.0)
    failing = []
    for line in output.splitlines():
        timing = re.match(r"([0-9.]+)s (setup|call|teardown)\s+(\S+?)::", line)
        for name in per_file:  # a file, or one test of it (file::test)
            if timing and (line.split()[-1] == name or timing.group(3) == name):
                per_file[name] += float(timing.group(1))
        failure = re.match(r"(FAILED|ERROR) (\S+::\S+)", line)
        if failure:
            failing.append(failure.group(2))
    if code not in (0, 1) or (code == 1 and not failing):
        return {"status": f"tests cannot run unmutated (pytest exit {code}): skipped"}
    ordered = sorted(files, key=lambda name: per_file[name])
    command = " ".join([PYTEST, *ordered] + [f"--deselect {shlex.quote(node)}"
                                             for node in failing])
    return {"status": "ready", "command": command, "seconds": seconds, "failing": failing,
            "files": ordered, "timeout": max(MIN_TIMEOUT, TIMEOUT_FACTOR * seconds)}


def baseline_key(module: str) -> str:
    """A digest of what an unmutated run depends on: the package, the module's test files,
    every conftest.py and the bench helpers the tests import."""
    import hashlib

    files = [name.split("::")[0] for name in tests_for(module)]
    helpers = [] if not any("bench" in (ROOT / name).read_text(encoding="utf-8")
                            for name in files) else \
        [str(f.relative_to(ROOT)) for f in (ROOT / "bench").glob("*.py")
         if f.name != "mutation.py"]
    names = sorted({*(str(f.relative_to(ROOT)) for f in (ROOT / PACKAGE).rglob("*.py")),
                    *files, *helpers,
                    *(str(f.relative_to(ROOT)) for f in (ROOT / "tests").rglob("conftest.py"))})
    digest = hashlib.sha256(" ".join(tests_for(module)).encode())
    for name in names:
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    return digest.hexdigest()


def mutate_module(module: str, copy: Path, env: dict, deadline: float, sample: int,
                  seed: int, prepared: dict, recheck: bool = False) -> str:
    """Baseline (once per run), then the module's drawn, pending mutants until
    ``deadline``; a status word."""
    config, session = session_paths(module)
    if session.exists() and not recheck:
        draw_sample(session, module, sample, seed)
        if not pending_count(session):
            return "done"  # nothing drawn is left to test: no unmutated run needed
    if module not in prepared:
        key = baseline_key(module)
        earlier = (json.loads(BASELINES.read_text(encoding="utf-8")).get(module, {})
                   if BASELINES.exists() else {})
        if earlier.get("key") == key and earlier.get("status") == "ready":
            prepared[module] = earlier  # the same code and tests: the same unmutated run
        else:
            prepared[module] = dict(baseline(module, copy, env, deadline), key=key)
        save_baselines(prepared)
    info = prepared[module]
    if info["status"] != "ready":
        if info["status"] == "out of time":
            del prepared[module]
        return info["status"]
    write_config(module, info["command"], info["timeout"])
    if not session.exists():
        code, output = run(["cosmic-ray", "init", str(config), str(session)], copy, env,
                           600, capture=True)
        if code != 0:
            return f"cosmic-ray init failed: {output.strip().splitlines()[-1:]}"
    if recheck:
        forget_survivors(session)
    draw_sample(session, module, sample, seed)
    code, _ = run(["cosmic-ray", "exec", str(config), str(session)], copy, env,
                  deadline - time.time())
    # a stopped exec may leave its mutant on disk: put the module back from the checkout
    shutil.copy2(ROOT / PACKAGE / module, copy / PACKAGE / module)
    return "out of time" if code is None else "done"


def pending_count(session: Path) -> int:
    from cosmic_ray.work_db import WorkDB, use_db

    with use_db(str(session), WorkDB.Mode.open) as db:
        return sum(1 for _ in db.pending_work_items)


def save_baselines(prepared: dict) -> None:
    """What the baselines found (kept for the report), merged with other runs' under a lock."""
    with locked():
        known = json.loads(BASELINES.read_text(encoding="utf-8")) if BASELINES.exists() else {}
        known.update({module: {key: value for key, value in info.items()}
                      for module, info in prepared.items() if info["status"] != "out of time"})
        BASELINES.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")


@contextlib.contextmanager
def locked():
    """One process at a time writes the shared files of bench/.mutation and the report."""
    import fcntl

    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# ------------------------------------------------------------------ report

def tested_count(module: str) -> int:
    _, session = session_paths(module)
    return len(session_results(module, session)[2]) if session.exists() else 0


def wilson(killed: int, total: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    if not total:
        return 0.0, 1.0
    z, p = 1.96, killed / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def session_results(module: str, session: Path) -> tuple[int, int, list, list]:
    """(mutants in all, those inside annotations, tested work items with results,
    survivors) of a session."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    with use_db(str(session), WorkDB.Mode.open) as db:
        total = db.num_work_items
        annotations = sum(1 for _, result in db.completed_work_items
                          if (result.output or "").startswith("inside an annotation"))
        tested = [(item, result) for item, result in db.completed_work_items
                  if result.worker_outcome != WorkerOutcome.SKIPPED]
    # sessions begun before the annotation filter: such mutants count as equivalent
    spans = annotation_spans((ROOT / PACKAGE / module).read_text(encoding="utf-8"))
    inside = [pair for pair in tested
              if any(low <= tuple(pair[0].mutations[0].start_pos) < high for low, high in spans)]
    annotations += len(inside)
    tested = [pair for pair in tested if pair not in inside]
    survivors = [(item, result) for item, result in tested
                 if result.test_outcome == TestOutcome.SURVIVED]
    return total, annotations, tested, survivors


def stratified(strata: list[tuple[int, int, int]]) -> tuple[float, float, float]:
    """A folder's kill rate estimated from per-module samples (strata of (mutants,
    tested, killed)): each module weighted by its mutants, with a 95 % normal interval
    (Agresti–Coull variance per module, finite-population corrected)."""
    population = sum(size for size, tested, _ in strata if tested)
    estimate = variance = 0.0
    for size, tested, killed in strata:
        if not tested:
            continue
        weight = size / population
        estimate += weight * killed / tested
        adjusted = (killed + 2) / (tested + 4)
        correction = max(0.0, 1 - tested / size) if size else 0.0
        variance += weight ** 2 * adjusted * (1 - adjusted) / (tested + 4) * correction
    half = 1.96 * math.sqrt(variance)
    return estimate, max(0.0, estimate - half), min(1.0, estimate + half)


def answer_for(module: str, diff: str) -> str:
    """The answer written down in ANSWERS for a survivor (by module and the text its diff
    removes and adds, so it holds when lines move); "" if none."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+")]
    for answered, old, new, answer in ANSWERS:
        if answered == module and any(old in line for line in removed) and any(
                new in line for line in added):
            return answer
    return ""


def survivor_text(module: str, item, result) -> tuple[str, str]:
    """A survivor as a list item with its diff and its answer; and the answer's kind."""
    mutation = item.mutations[0]
    diff = "\n".join(line for line in (result.diff or "").splitlines()
                     if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    answer = answer_for(module, diff)
    kind = answer.split(":")[0] if answer else "unanswered"
    return (f"- `{module}` line {mutation.start_pos[0]} ({mutation.definition_name}), "
            f"{mutation.operator_name}:\n\n  ```diff\n  " + diff.replace("\n", "\n  ")
            + "\n  ```\n\n  " + (f"**{kind}**{answer[len(kind):]}" if answer else
                                  "**unanswered**: needs a test or a reason in ANSWERS "
                                  "(bench/mutation.py)")), kind


def report_text(modules: list[str]) -> str:
    baselines = json.loads(BASELINES.read_text(encoding="utf-8")) if BASELINES.exists() else {}
    statuses = json.loads(STATUSES.read_text(encoding="utf-8")) if STATUSES.exists() else {}
    lines = ["| module | mutants | in annotations | tested | killed (by timeout) | kill rate "
             "(95 % interval) | test files (deselected: fail unmutated) | last run |",
             "|---|---:|---:|---:|---:|---|---|---|"]
    folders: dict[str, list[tuple[int, int, int]]] = {}
    survivors_text, unreached, deselected = [], [], []
    kinds: dict[str, int] = {}
    equivalents: dict[str, int] = {}
    for module in modules:
        _, session = session_paths(module)
        info = baselines.get(module, {})
        status = statuses.get(module, "not run")
        if not session.exists():
            unreached.append(f"`{module}` ({info.get('status', status)})")
            continue
        total, annotations, tested, survivors = session_results(module, session)
        killed = len(tested) - len(survivors)
        timeouts = sum(1 for _, result in tested if result.output == "timeout")
        low, high = wilson(killed, len(tested))
        rate = f"{killed / len(tested):.0%} ({low:.0%}–{high:.0%})" if tested else "–"
        files = info.get("files", [])
        failing = info.get("failing", [])
        deselected += [f"`{node}` (for `{module}`)" for node in failing]
        lines.append(f"| {module} | {total} | {annotations} | {len(tested)} | {killed} "
                     f"({timeouts}) | {rate} | {len(files)} ({len(failing)}) | {status} |")
        folders.setdefault(module.split("/")[0], []).append(
            (total - annotations, len(tested), killed))
        for item, result in survivors:
            text, kind = survivor_text(module, item, result)
            survivors_text.append(text)
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind == "equivalent":
                equivalents[module.split("/")[0]] = equivalents.get(module.split("/")[0], 0) + 1
    lines.append("")
    for folder, strata in folders.items():
        tested = sum(n for _, n, _ in strata)
        killed = sum(k for _, _, k in strata)
        if not tested:
            continue
        low, high = wilson(killed, tested)
        estimate, s_low, s_high = stratified(strata)
        reached = sum(1 for _, n, _ in strata if n)
        lines.append(f"- **{folder}/**: {killed} of {tested} tested mutants killed "
                     f"({killed / tested:.0%}, 95 % interval {low:.0%}–{high:.0%}); weighted "
                     f"by each module's mutants: {estimate:.0%} ({s_low:.0%}–{s_high:.0%}), "
                     f"over the {reached} modules with tested mutants"
                     + (f"; leaving out the {equivalents[folder]} survivors answered as "
                        f"equivalent: {killed} of {tested - equivalents[folder]} "
                        f"({killed / (tested - equivalents[folder]):.0%})"
                        if equivalents.get(folder) and tested > equivalents[folder] else ""))
    if unreached:
        lines += ["", "Not reached: " + ", ".join(unreached) + "."]
    if deselected:
        lines += ["", "Tests deselected because they fail on the unmutated code: "
                  + ", ".join(deselected) + "."]
    lines += ["", "Surviving mutants (as last run; each with its answer from ANSWERS: *killed "
              "since* by a test written after the run, to be confirmed by `--recheck`, "
              "*equivalent* or *harmless* with the reason): "
              + (", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
                 or "none"), ""] + survivors_text
    return "\n".join(lines)


def write_report(modules: list[str], command: str) -> None:
    with locked():
        report = report_text(modules)  # first: reading the sessions takes a while, and the
        text = REPORT.read_text(encoding="utf-8")  # file may be edited meanwhile
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        REPORT.write_text(f"{head}{BEGIN}\nWritten by bench/mutation.py on {stamp}; "
                          f"reproduce with\n\n    {command}\n\n{report}\n"
                          f"{END}{tail}", encoding="utf-8")


def set_status(module: str, status: str) -> None:
    with locked():
        known = json.loads(STATUSES.read_text(encoding="utf-8")) if STATUSES.exists() else {}
        known[module] = f"{status} ({time.strftime('%H:%M UTC', time.gmtime())})"
        STATUSES.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("selection", nargs="*",
                        help=f"folders ({', '.join(FOLDERS)}) or modules (check/qc.py)")
    parser.add_argument("--budget", type=float, default=30, help="minutes in all (30)")
    parser.add_argument("--sample", type=int, default=12,
                        help="mutants per module, drawn with --seed; 0: all (12)")
    parser.add_argument("--step", type=int, default=4,
                        help="the sample grows by this many per module per round, so every "
                             "module is reached before any gets more (4)")
    parser.add_argument("--seed", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="forget earlier sessions")
    parser.add_argument("--recheck", action="store_true",
                        help="try earlier runs' survivors again on the tests as they are now")
    parser.add_argument("--report", action="store_true", help="only rewrite the report")
    args = parser.parse_args(argv)
    if shutil.which("cosmic-ray") is None:
        sys.exit('error: cosmic-ray not found\n  how to fix: pip install -e ".[mutation]"')
    modules = discover_modules(args.selection)
    report_modules = discover_modules(list(dict.fromkeys(m.split("/")[0] for m in modules)))
    command = ("nice python bench/mutation.py " + " ".join(args.selection or FOLDERS)
               + f" --sample {args.sample} --seed {args.seed}")
    if not args.report:
        if args.fresh and STATE.exists():
            shutil.rmtree(STATE)
        STATE.mkdir(parents=True, exist_ok=True)
        deadline = time.time() + args.budget * 60
        tag = "-".join(s.replace("/", "_") for s in args.selection) or "all"
        copy = STATE / f"checkout-{tag}"
        scratch_copy(copy)
        env = dict(os.environ, PYTHONPATH=str(copy))
        prepared: dict[str, dict] = {}
        sizes = (list(range(args.step, args.sample, args.step)) + [args.sample]
                 if args.sample and args.step else [args.sample])
        for size in sizes:
            for module in sorted(modules, key=tested_count):  # the least tested first
                if time.time() >= deadline:
                    break
                status = mutate_module(module, copy, env, deadline, size, args.seed,
                                       prepared, args.recheck and size == sizes[0])
                set_status(module, f"{status}, sample {size or 'all'}")
                print(f"{time.strftime('%H:%M:%S')} {module} sample {size}: {status}",
                      flush=True)
                write_report(report_modules, command)
    write_report(report_modules, command)
    print(f"report: {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
