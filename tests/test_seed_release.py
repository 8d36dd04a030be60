"""The seed release, byte for byte: every file `mc2cm-graph build` writes from data/ has the
sha256 recorded in tests/golden/seed-release.sha256 (a change to the data, the templates
or the writers shows up here, file by file).

After an intended change, look at the files named, then record the new digests with
``python tests/test_seed_release.py`` and commit them with the change.
"""

import hashlib
import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "seed-release.sha256"


def digests(dist: Path) -> dict[str, str]:
    return {p.relative_to(dist).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dist.rglob("*")) if p.is_file()}


def recorded() -> dict[str, str]:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def test_seed_release_is_byte_identical_to_the_recorded_one(built_dist):
    now, then = digests(built_dist), recorded()
    assert sorted(now) == sorted(then), "files added or missing"
    changed = [name for name in now if now[name] != then[name]]
    assert changed == [], f"changed: {changed}; if intended: python {__file__}"


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from mc2cm_graph.build import build

    with tempfile.TemporaryDirectory() as scratch:
        build(out_dir=Path(scratch) / "dist")
        found = digests(Path(scratch) / "dist")
    GOLDEN.write_text("".join(f"{d}  {n}\n" for n, d in found.items()), encoding="utf-8")
    print(f"recorded {len(found)} digests in {GOLDEN}")
