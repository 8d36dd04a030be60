"""Mutation testing of the core folders with Cosmic Ray, one session per module, each module
run against its own tests only; writes the kill rate per module and every surviving mutant
to docs/mutation-testing.md (between the markers of its "Latest run" section).

Not part of CI's run (minutes to hours). Install the tool with ``pip install -e ".[mutation]"``.

    python bench/mutation.py serve check --budget 25         # 25 minutes in all
    python bench/mutation.py check/qc.py --sample 0          # every mutant of one module
    python bench/mutation.py --report                        # rewrite the report only

Why Cosmic Ray: each module's session has its own test command (per-module test selection
written down in MODULE_TESTS below), sessions live in SQLite files and ``exec`` resumes
where it stopped, so a time budget is kept by stopping the run and the next run goes on.

The run happens in a scratch copy of the checkout (``git ls-files``), never in the working
tree: a mutant left behind by a stopped run cannot end up in a commit. Before a module's
mutants, its tests run once on the unmutated copy; a module whose tests fail is reported
and skipped (otherwise every mutant would count as killed).

``--sample N`` (default 12) runs N mutants per module drawn with a fixed seed and marks the
others skipped, so a run over all modules fits the budget; the report gives the sample's
kill rate with its 95 % Wilson interval. ``--sample 0`` runs every mutant (the serve/ and
check/ folders have about 3,800; at 10 to 40 s of tests each that is a day of one core).
"""

from __future__ import annotations

import argparse
import math
import os
import random
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
MUTANT_TIMEOUT = 180.0  # seconds per mutant's tests; a mutant that hangs them counts as killed

# The tests that exercise each module through its public behaviour (relative to the root).
MODULE_TESTS: dict[str, list[str]] = {
    "serve/admission.py": ["tests/serve/test_admission.py",
                           "tests/serve/test_endpoint_flood.py"],
    "serve/api.py": ["tests/serve/test_server_api.py"],
    "serve/app.py": ["tests/serve/test_server_protocol.py", "tests/serve/test_serve_cli.py"],
    "serve/conneg.py": ["tests/serve/test_conneg.py"],
    "serve/cors.py": ["tests/serve/test_cross_origin.py"],
    "serve/errors.py": ["tests/serve/test_admission.py", "tests/serve/test_server_protocol.py"],
    "serve/formats.py": ["tests/serve/test_server_protocol.py",
                         "tests/serve/test_server_api.py"],
    "serve/guard.py": ["tests/serve/test_sparql_guard.py"],
    "serve/linked_data.py": ["tests/serve/test_server_linked_data.py"],
    "serve/service.py": ["tests/serve/test_query_pool.py", "tests/serve/test_endpoint_flood.py"],
    "serve/sparql.py": ["tests/serve/test_server_protocol.py"],
    "check/compiled.py": ["tests/check/test_fastvalidate.py"],
    "check/qc.py": ["tests/check/test_qc.py"],
    "check/report.py": ["tests/cli/test_cli_validate.py"],
    "check/run.py": ["tests/cli/test_cli_validate.py"],
    "check/target_links.py": ["tests/check/test_target_links.py"],
    "check/target_wording.py": ["tests/check/test_target_links.py"],
    "check/reference.py": ["tests/check/test_shapes.py", "tests/cli/test_cli_validate.py"],
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


def modules_for(selection: list[str]) -> list[str]:
    """Modules named by folder ("serve") or file ("check/qc.py"); all mapped ones if none."""
    chosen = [m for m in MODULE_TESTS
              if not selection or any(m == s or m.startswith(s.rstrip("/") + "/")
                                      for s in selection)]
    unknown = [s for s in selection if not any(m == s or m.startswith(s.rstrip("/") + "/")
                                               for m in MODULE_TESTS)]
    if unknown:
        sys.exit(f"error: no tests mapped for {', '.join(unknown)}\n  how to fix: add the "
                 "module and its tests to MODULE_TESTS in bench/mutation.py")
    order = {s: i for i, s in enumerate(selection)}
    return sorted(chosen, key=lambda m: min((order[s] for s in selection
                                             if m == s or m.startswith(s.rstrip("/") + "/")),
                                            default=0))


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


def write_config(module: str, config: Path) -> None:
    tests = " ".join(MODULE_TESTS[module])
    config.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{PACKAGE}/{module}"\n'
        f"timeout = {MUTANT_TIMEOUT}\n"
        "excluded-modules = []\n"
        f'test-command = "{PYTEST} {tests}"\n'
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


def sample_session(session: Path, module: str, size: int, seed: int) -> None:
    """Mark mutants inside annotations skipped (equivalent), then all but ``size`` of the
    others (drawn with ``seed``; 0: none)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    spans = annotation_spans((ROOT / PACKAGE / module).read_text(encoding="utf-8"))

    def in_annotation(item) -> bool:
        start = tuple(item.mutations[0].start_pos)
        return any(low <= start < high for low, high in spans)

    with use_db(str(session), WorkDB.Mode.open) as db:
        items = list(db.pending_work_items)
        equivalent = [item.job_id for item in items if in_annotation(item)]
        if equivalent:
            db.set_multiple_results(equivalent, WorkResult(
                output="inside an annotation, never evaluated: equivalent",
                worker_outcome=WorkerOutcome.SKIPPED))
        if not size:
            return
        pending = sorted(item.job_id for item in items if not in_annotation(item))
        keep = set(random.Random(seed).sample(pending, min(size, len(pending))))
        skipped = [job for job in pending if job not in keep]
        if skipped:
            db.set_multiple_results(skipped, WorkResult(
                output="not in this run's sample", worker_outcome=WorkerOutcome.SKIPPED))


def run(command: list[str], cwd: Path, env: dict, seconds: float) -> int | None:
    """Run ``command`` niced in its own process group; None when ``seconds`` ran out."""
    process = subprocess.Popen(["nice", "-n", "10", *command], cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        return process.wait(timeout=max(seconds, 1))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        return None


def forget_survivors(session: Path) -> None:
    """Survivors of earlier runs made pending again (to be tried on the tests as they are)."""
    import sqlite3

    with sqlite3.connect(session) as db:
        db.execute("DELETE FROM work_results WHERE lower(test_outcome) = 'survived'")


def mutate_module(module: str, copy: Path, env: dict, deadline: float, sample: int,
                  seed: int, recheck: bool = False) -> str:
    """Baseline, then the module's pending mutants until ``deadline``; a status word."""
    config, session = session_paths(module)
    if recheck and session.exists():
        forget_survivors(session)
        sample_session(session, module, 0, seed)  # those in annotations: equivalent
    write_config(module, config)  # the test command as MODULE_TESTS says now
    if not session.exists():
        subprocess.run(["cosmic-ray", "init", str(config), str(session)], cwd=copy, env=env,
                       check=True, capture_output=True)
        sample_session(session, module, sample, seed)
    baseline = run(PYTEST.split() + MODULE_TESTS[module], copy, env, deadline - time.time())
    if baseline is None:
        return "out of time"
    if baseline != 0:
        return "tests fail unmutated: skipped"
    done = run(["cosmic-ray", "exec", str(config), str(session)], copy, env,
               deadline - time.time())
    # a stopped exec may leave its mutant on disk: put the module back from the checkout
    shutil.copy2(ROOT / PACKAGE / module, copy / PACKAGE / module)
    return "out of time" if done is None else "done"


# ------------------------------------------------------------------ report

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


def report_text(statuses: dict[str, str]) -> str:
    lines = ["| module | mutants | in annotations | tested | killed | kill rate (95 % interval)"
             " | run |", "|---|---:|---:|---:|---:|---|---|"]
    folders: dict[str, list[int]] = {}
    survivors_text = []
    for module in MODULE_TESTS:
        _, session = session_paths(module)
        if not session.exists():
            continue
        total, annotations, tested, survivors = session_results(module, session)
        killed = len(tested) - len(survivors)
        low, high = wilson(killed, len(tested))
        rate = (f"{killed / len(tested):.0%} ({low:.0%}–{high:.0%})" if tested else "–")
        lines.append(f"| {module} | {total} | {annotations} | {len(tested)} | {killed} | {rate} | "
                     f"{statuses.get(module, 'earlier run')} |")
        folder = folders.setdefault(module.split("/")[0], [0, 0])
        folder[0] += killed
        folder[1] += len(tested)
        for item, result in survivors:
            mutation = item.mutations[0]
            diff = "\n".join(line for line in (result.diff or "").splitlines()
                             if line[:1] in "+-" and line[:3] not in ("+++", "---"))
            survivors_text.append(
                f"- `{module}` line {mutation.start_pos[0]} ({mutation.definition_name}), "
                f"{mutation.operator_name}:\n\n  ```diff\n  "
                + diff.replace("\n", "\n  ") + "\n  ```")
    lines.append("")
    for folder, (killed, tested) in folders.items():
        low, high = wilson(killed, tested)
        lines.append(f"- **{folder}/**: {killed} of {tested} tested mutants killed"
                     + (f", {killed / tested:.0%} (95 % interval {low:.0%}–{high:.0%})"
                        if tested else ""))
    lines += ["", "Surviving mutants:", ""] + (survivors_text or ["- none"])
    return "\n".join(lines)


def write_report(statuses: dict[str, str]) -> None:
    text = REPORT.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    REPORT.write_text(f"{head}{BEGIN}\nWritten by bench/mutation.py on {stamp}.\n\n"
                      f"{report_text(statuses)}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("selection", nargs="*",
                        help=f"folders ({', '.join(FOLDERS)}) or modules (check/qc.py)")
    parser.add_argument("--budget", type=float, default=30, help="minutes in all (30)")
    parser.add_argument("--sample", type=int, default=12,
                        help="mutants per module, drawn with --seed; 0: all (12)")
    parser.add_argument("--seed", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="forget earlier sessions")
    parser.add_argument("--recheck", action="store_true",
                        help="try earlier runs' survivors again on the tests as they are now")
    parser.add_argument("--report", action="store_true", help="only rewrite the report")
    args = parser.parse_args(argv)
    if shutil.which("cosmic-ray") is None:
        sys.exit('error: cosmic-ray not found\n  how to fix: pip install -e ".[mutation]"')
    modules = modules_for(args.selection)
    statuses: dict[str, str] = {}
    if not args.report:
        if args.fresh and STATE.exists():
            shutil.rmtree(STATE)
        STATE.mkdir(parents=True, exist_ok=True)
        deadline = time.time() + args.budget * 60
        copy = STATE / "checkout"
        scratch_copy(copy)
        env = dict(os.environ, PYTHONPATH=str(copy))
        for module in modules:
            if time.time() >= deadline:
                statuses[module] = "out of time"
                continue
            statuses[module] = mutate_module(module, copy, env, deadline, args.sample,
                                             args.seed, args.recheck)
            print(f"{module}: {statuses[module]}", flush=True)
            write_report(statuses)
    write_report(statuses)
    print(f"report: {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
