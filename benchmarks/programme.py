"""How long `coachlog programme report` takes on a national programme's exports.

    python benchmarks/programme.py                  # 10,000 files, 200,000 engagements
    python benchmarks/programme.py --files 500 --engagements 10000 --repeat 1

It writes `--files` outcome exports (the format of docs/outcomes-export.md,
`--engagements` records in all, with deterministic pseudo-random scores and
about a third of engagements lacking a follow-up or an end) into
benchmarks/out/programme/ (git-ignored; reused while the numbers are the same),
then runs the installed `coachlog programme report FILE... --json` in a fresh
process with every file named on the command line, as a lead would type it
with a shell glob. It prints the median wall time of `--repeat` runs (after one
warm-up) and the peak RSS, and fails if they exceed the issue's limits
(30 s, 200 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import OUT, find_coachlog, run_once  # noqa: E402

THEMES = ["strategic", "prioritisation", "confidence", "influence", "team", "self-presentation"]
RELATIONSHIPS = ["coaching", "coaching", "coaching", "mentoring", "peer", "line-manager", "team"]
LIMIT_SECONDS = 30.0
LIMIT_MB = 200.0


def _scores(rng: random.Random, base: list[int], lift: int) -> dict[str, int | None]:
    return {
        k: max(0, min(10, b + lift + rng.randint(-2, 2))) if rng.random() > 0.05 else None
        for k, b in zip(THEMES, base, strict=True)
    }


def export(rng: random.Random, count: int) -> dict:
    records = []
    for _ in range(count):
        year = rng.choice([2024, 2025, 2026])
        start = rng.randint(1, 9)
        base = [rng.randint(1, 7) for _ in THEMES]
        ended = rng.random() > 0.15
        records.append(
            {
                "relationship": rng.choice(RELATIONSHIPS),
                "sessions_held": rng.randint(1, 8),
                "sessions_contracted": rng.choice([4, 6, 6, 6, 8, None]),
                "start_month": f"{year}-{start:02d}",
                "end_month": f"{year}-{start + rng.randint(1, 3):02d}" if ended else None,
                "before": _scores(rng, base, 0),
                "end": _scores(rng, base, 2) if ended else None,
                "follow_up": _scores(rng, base, 1) if ended and rng.random() > 0.4 else None,
            }
        )
    return {
        "format": "coachlog-outcomes",
        "version": 1,
        "export_id": uuid.UUID(int=rng.getrandbits(128)).hex,
        "themes": THEMES,
        "engagements": records,
    }


def generate(folder: Path, files: int, engagements: int, seed: int) -> list[Path]:
    stamp = folder / "recipe.json"
    recipe = {"files": files, "engagements": engagements, "seed": seed}
    paths = [folder / f"coach-{n:05d}.json" for n in range(files)]
    if stamp.exists() and json.loads(stamp.read_text()) == recipe:
        return paths
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    per, extra = divmod(engagements, files)
    for n, path in enumerate(paths):
        path.write_text(json.dumps(export(rng, per + (n < extra)), indent=1))
    stamp.write_text(json.dumps(recipe))
    return paths


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--files", type=int, default=10_000)
    p.add_argument("--engagements", type=int, default=200_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--seed", type=int, default=17)
    args = p.parse_args(argv)

    folder = OUT / "programme"
    paths = generate(folder, args.files, args.engagements, args.seed)
    size = sum(path.stat().st_size for path in paths)
    coachlog = find_coachlog()
    env = {**os.environ, "COACHLOG_NO_INPUT": "1", "NO_COLOR": "1"}
    command = [coachlog, "programme", "report", *map(str, paths), "--json"]
    runs = []
    for index in range(args.repeat + 1):
        run = run_once(command, env, folder / "report.json")
        if run.code != 0:
            print(run.stderr, file=sys.stderr)
            return 1
        if index:
            runs.append(run)
    seconds = statistics.median(r.seconds for r in runs)
    rss = max(r.rss_mb for r in runs)
    report = json.loads((folder / "report.json").read_text())
    print(
        f"| {args.files:,} files, {report['engagements']:,} engagements, {size / 1e6:.0f} MB "
        f"| {seconds:.1f} s | {rss:.0f} MB |"
    )
    print(
        f"coachlog programme report, median of {args.repeat}; Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )
    if seconds > LIMIT_SECONDS or rss > LIMIT_MB:
        print(f"Over the limit ({LIMIT_SECONDS:.0f} s, {LIMIT_MB:.0f} MB).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
