"""How fast coachlog is at 1k, 10k and 100k entries, timed the way a user runs it.

    python benchmarks/bench.py                 # the full run (seeds once, then reuses)
    python benchmarks/bench.py --quick         # a smoke run: 1k only, one repeat
    python benchmarks/bench.py --sizes 1000,20000 --repeat 3

It seeds journals of N sessions and N reflections for each size with the same
generator as `coachlog demo` (deterministic: `core.demo.generate(seed, ...)`),
into benchmarks/out/ (git-ignored; a seeded journal is reused while its recipe
is unchanged, `--reseed` makes it again). Then it times whole commands in a
fresh process each, exactly as typed at a shell: the installed `coachlog`
beside this interpreter, stdin closed, output to a file. Each command gets one
untimed warm-up run, then the median of `--repeat` runs (`--slow-repeat` for
the import). Memory is each command's own peak RSS (from wait4).

A command this coachlog does not have yet is reported as "n/a (command not
available)", and one that fails as "failed (exit N)", so the table is always
printed. The Markdown table goes to stdout and to benchmarks/out/results.md,
the raw numbers to benchmarks/out/results.json.

With `--encrypted` (needs `coachlog[encrypt]`), the largest journal is also copied
and encrypted with `coachlog db encrypt`, and every everyday command is timed on
that copy twice more: unlocked by a session key (`COACHLOG_SESSION`, as after
`eval "$(coachlog unlock)"`; the target is within 1.15x of the plain journal) and
by `COACHLOG_PASSPHRASE` (which pays the scrypt stretching on every command).

The targets (issue 14), checked at the end of the report at the largest size: every
read command (the lists, search, prep, progress, the bare overview, the hours log)
within 1.6x of `python -c "import typer"` and every write (`session log`,
`reflect --text`, `goal rate`) within 2.2x; `coachlog --help` within 1.5x of it;
`progress` of the whole journal at the largest size within 1.5x of its time at the
smallest; `import --from jrnl` of N entries under 10 s; and the import and
`export supervision` of a year each under 80 MB peak RSS. The write rows write into
the seeded journal (`goal rate` rates its first open goal), which is reused, so it
grows a few rows a run. The generator makes no engagements or outcome check-ins, so
`engagement list` and `outcome list` time the empty list (start-up and the query).

With `--jrnl` (or jrnl on PATH, or `--install-jrnl` to put it in
benchmarks/out/jrnl-venv), the same reflections are also written as a jrnl
journal and jrnl's `-n 10` and `-contains` are timed for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SEED = 7
# Bump when the generator changes in a way that makes old seeded journals stale.
RECIPE = 2
SEARCH_WORD = "resilience"
# Targets: at the largest size, a command's time at most this many times `import typer`.
READ, WRITE = 1.6, 2.2
HELP_LIMIT = 1.5  # `coachlog --help`, at most this many times `import typer`
PROGRESS_SCALING = 1.5  # `progress` at the largest size vs the smallest
IMPORT_SECONDS = 10.0  # `import --from jrnl` of N entries
PEAK_MB = 80.0  # peak RSS of the import and of `export supervision` of a year


# ---------------------------------------------------------------- running one command


@dataclass
class Run:
    seconds: float
    rss_mb: float
    code: int
    stderr: str


def run_once(argv: list[str], env: dict[str, str], stdout_path: Path | None = None) -> Run:
    """Run argv to completion; wall time and the child's own peak RSS."""
    out = open(stdout_path, "wb") if stdout_path else tempfile.TemporaryFile()  # noqa: SIM115
    with out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    # ru_maxrss is KiB on Linux, bytes on macOS.
    rss = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return Run(seconds, rss, proc.returncode, stderr)


@dataclass
class Cell:
    """One command at one size: the runs, or why there are none."""

    runs: list[Run] = field(default_factory=list)
    note: str | None = None  # "n/a (command not available)", "failed (exit 1)"

    @property
    def median(self) -> float | None:
        return statistics.median(r.seconds for r in self.runs) if self.runs else None

    @property
    def rss(self) -> float | None:
        return max(r.rss_mb for r in self.runs) if self.runs else None


def interleaved(commands: list[tuple[list[str], dict[str, str]]], repeat: int) -> list[Cell]:
    """Each command once per round, `repeat` rounds after a warm-up round, so that a
    comparison between them is not skewed by the machine getting busier or quieter."""
    cells = [Cell() for _ in commands]
    for index in range(repeat + 1):
        for cell, (argv, env) in zip(cells, commands, strict=True):
            if cell.note:
                continue
            run = run_once(argv, env)
            if run.code != 0:
                cell.runs, cell.note = [], f"failed (exit {run.code})"
                print(f"    failed (exit {run.code}): {run.stderr[:200]}", file=sys.stderr)
            elif index:
                cell.runs.append(run)
    return cells


def measure(
    argv: list[str],
    env: dict[str, str],
    repeat: int,
    before: Any = None,
    stdout_path: Path | None = None,
) -> Cell:
    """One warm-up run, then `repeat` timed runs; `before()` runs untimed before each."""
    cell = Cell()
    for index in range(repeat + 1):
        if before:
            before()
        run = run_once(argv, env, stdout_path)
        if run.code != 0:
            first = next((ln for ln in run.stderr.splitlines() if ln.strip()), "")
            cell.runs = []
            cell.note = f"failed (exit {run.code})"
            print(f"    failed (exit {run.code}): {first[:200]}", file=sys.stderr)
            return cell
        if index:  # the first run only warms the OS cache and bytecode
            cell.runs.append(run)
    return cell


# ---------------------------------------------------------------- seeding


def seed_child(path: str, size: int, seed: int) -> None:
    """(Runs in a child process.) Generate and write one journal; print timings as JSON."""
    from coachlog.core import demo
    from coachlog.store.db import open_journal

    start = time.perf_counter()
    made = demo.generate(seed, sessions=size, reflections=size)
    generated = time.perf_counter()
    journal = open_journal(path)
    try:
        counts = demo.write(journal, made)
    finally:
        journal.close()
    written = time.perf_counter()
    print(
        json.dumps(
            {
                "generate_s": generated - start,
                "write_s": written - generated,
                "counts": counts,
                "end": made.end.isoformat(),
            }
        )
    )


def remove_journal(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".key", ".session"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


BENCH_PASSPHRASE = "benchmark passphrase, not a secret"


def open_costs(plain: Path, encrypted: Path, session: str, times: int = 30) -> dict[str, float]:
    """Median seconds to open (and close) each journal in this process, the way every
    command does: plain; encrypted with the session key; encrypted with the passphrase."""
    from coachlog.store.db import open_journal

    def median_open(path: Path, **environ: str) -> float:
        saved = {k: os.environ.get(k) for k in ("COACHLOG_SESSION", "COACHLOG_PASSPHRASE")}
        for k in saved:
            os.environ.pop(k, None)
        os.environ.update(environ)
        try:
            runs = []
            for _ in range(times if not environ.get("COACHLOG_PASSPHRASE") else 5):
                start = time.perf_counter()
                open_journal(path, create=False).close()
                runs.append(time.perf_counter() - start)
            return statistics.median(runs)
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None)
                if v is not None:
                    os.environ[k] = v

    return {
        "plain": median_open(plain),
        "session": median_open(encrypted, COACHLOG_SESSION=session),
        "passphrase": median_open(encrypted, COACHLOG_PASSPHRASE=BENCH_PASSPHRASE),
    }


def encrypted_copy(info: dict[str, Any], coachlog: str, env: dict[str, str]) -> dict[str, Any]:
    """An encrypted copy of a seeded journal (made afresh each run) and a session key."""
    plain = Path(info["path"])
    path = plain.with_name(plain.stem + "-encrypted.db")
    remove_journal(path)
    # SQLite's online backup, not a file copy: the seeded journal's -wal may hold
    # the benchmarks' own writes.
    source, copy = sqlite3.connect(plain), sqlite3.connect(path)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = WAL")
    finally:
        source.close()
        copy.close()
    path.chmod(0o600)
    penv = {**env, "COACHLOG_PASSPHRASE": BENCH_PASSPHRASE}
    print(f"  encrypting a copy of {plain.name}", file=sys.stderr)
    made = run_once([coachlog, "--db", str(path), "db", "encrypt"], penv)
    if made.code != 0:
        sys.exit(f"db encrypt failed (is coachlog[encrypt] installed?):\n{made.stderr}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "unlock.json"
        unlocked = run_once([coachlog, "--db", str(path), "unlock", "--json"], penv, out)
        if unlocked.code != 0:
            sys.exit(f"unlock failed:\n{unlocked.stderr}")
        session = json.loads(out.read_text())["session"]
    return {
        "path": path,
        "session": session,
        "open": open_costs(plain, path, session),
        "encrypt_s": made.seconds,
        "encrypt_rss_mb": made.rss_mb,
        "unlock_s": unlocked.seconds,
    }


def seeded(size: int, seed: int, reseed: bool) -> dict[str, Any]:
    """The journal of `size` sessions and reflections, seeding it unless a good one is there."""
    path = OUT / f"journal-{size}.db"
    marker = OUT / f"journal-{size}.json"
    recipe = {"recipe": RECIPE, "seed": seed, "sessions": size, "reflections": size}
    if not reseed and path.exists() and marker.exists():
        info = json.loads(marker.read_text())
        if info.get("recipe_key") == recipe:
            print(f"  reusing {path.name} (seeded {info['seeded_on']})", file=sys.stderr)
            return info
    remove_journal(path)
    print(f"  seeding {path.name}: {size:,} sessions + {size:,} reflections", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "seed.json"
        run = run_once(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "_seed",
                str(path),
                str(size),
                str(seed),
            ],
            dict(os.environ),
            result,
        )
        if run.code != 0:
            sys.exit(f"Seeding {path.name} failed:\n{run.stderr}")
        timings = json.loads(result.read_text())
    info = {
        "recipe_key": recipe,
        "path": str(path),
        "seeded_on": dt.date.today().isoformat(),
        "end": timings["end"],
        "counts": timings["counts"],
        "generate_s": timings["generate_s"],
        "write_s": timings["write_s"],
        "seed_s": run.seconds,
        "seed_rss_mb": run.rss_mb,
        "file_mb": path.stat().st_size / 1e6,
    }
    marker.write_text(json.dumps(info, indent=2))
    return info


def jrnl_entries(size: int, seed: int) -> list[dict[str, Any]]:
    """`size` reflections from the generator, as jrnl entries (title = first sentence)."""
    from coachlog.core import demo

    made = demo.generate(seed, sessions=0, reflections=size)
    entries = []
    for r in made.reflections:
        title, _, body = r.text.partition(". ")
        tags = [f"@{t}" for t in r.tags]
        if tags:
            body = f"{body} {' '.join(tags)}"
        entries.append(
            {
                "title": (r.title + ": " if r.title else "") + title + ".",
                "body": body,
                "date": r.on.isoformat(),
                "time": r.at,
                "tags": tags,
                "starred": r.starred,
            }
        )
    return entries


def jrnl_json_file(size: int, seed: int) -> Path:
    """A jrnl JSON export (`jrnl --format json`) of `size` entries, for `import --from jrnl`."""
    path = OUT / f"jrnl-{size}-seed{seed}-r{RECIPE}.json"
    if not path.exists():
        # Made in a child process, as the journals are: every timed command is forked
        # from this one, and Linux counts in a child's peak RSS the parent's pages it
        # held until it exec'd, so a parent that had built 100k entries made the next
        # commands look 285 MB big (the import itself peaks at about 62 MB).
        subprocess.run(
            [sys.executable, __file__, "_jrnl", str(path), str(size), str(seed)], check=True
        )
    return path


def jrnl_child(path: str, size: int, seed: int) -> None:
    """(Runs in a child process.) Write the jrnl export `jrnl_json_file` names."""
    entries = jrnl_entries(size, seed)
    tags: dict[str, int] = {}
    for entry in entries:
        for tag in entry["tags"]:
            tags[tag] = tags.get(tag, 0) + 1
    Path(path).write_text(
        json.dumps({"tags": tags, "entries": entries}, indent=1), encoding="utf-8"
    )


# ---------------------------------------------------------------- the commands


@dataclass
class Bench:
    name: str  # as shown in the table
    args: list[str]  # after `coachlog --db JOURNAL`; {since}, {jrnl}, {goal} are filled in
    probe: list[str]  # `coachlog PROBE --help` must work for the command to exist
    needs_flag: str | None = None  # ... and mention this flag
    slow: bool = False
    fresh_journal: bool = False  # runs against a new empty journal each time
    everyday: bool = True  # also timed on the encrypted copy with --encrypted
    limit: float | None = READ  # target: at most this many times `import typer` (None: none)


BENCHES = [
    Bench("coachlog --help", ["--help"], [], everyday=False, limit=None),
    Bench(
        "session log",
        [
            "session",
            "log",
            "--client",
            "1",
            "--minutes",
            "60",
            "--theme",
            "confidence",
            "--card",
            "resilience",
            "--notes",
            "Benchmark: reviewed the rota plan together.",
            "--action",
            "Share the rota draft with the team",
        ],
        ["session", "log"],
        limit=WRITE,
    ),  # fmt: skip
    Bench(
        "reflect --text",
        ["reflect", "--card", "mindset", "--text", "Benchmark: I listened before answering."],
        ["reflect"],
        limit=WRITE,
    ),
    Bench("goal rate", ["goal", "rate", "{goal}", "5"], ["goal", "rate"], limit=WRITE),
    Bench("session list", ["session", "list"], ["session", "list"]),
    Bench("action list", ["action", "list"], ["action", "list"]),
    Bench("goal list", ["goal", "list"], ["goal", "list"]),
    Bench("client list", ["client", "list"], ["client", "list"]),
    Bench("engagement list", ["engagement", "list"], ["engagement", "list"]),
    Bench("supervision list", ["supervision", "list"], ["supervision", "list"]),
    Bench("outcome list", ["outcome", "list"], ["outcome", "list"]),
    Bench("overview (bare coachlog)", [], []),
    Bench("reflection list", ["reflection", "list"], ["reflection", "list"]),
    Bench(f"search {SEARCH_WORD}", ["search", SEARCH_WORD], ["search"]),
    Bench("progress", ["progress"], ["progress"]),
    Bench("prep 1", ["prep", "1"], ["prep"]),
    Bench(
        "export supervision (a year)",
        ["export", "supervision", "--since", "{since}"],
        ["export", "supervision"],
        everyday=False,
        limit=None,
    ),
    Bench(
        "export hours (a year)",
        ["export", "hours", "--since", "{since}"],
        ["export", "hours"],
    ),
    Bench(
        "import --from jrnl (N entries)",
        ["import", "--from", "jrnl", "{jrnl}"],
        ["import"],
        needs_flag="--from",
        slow=True,
        fresh_journal=True,
        everyday=False,
        limit=None,
    ),
]


def placeholders(info: dict[str, Any]) -> dict[str, str]:
    """What a Bench's {since}, {goal} stand for in one seeded journal ({jrnl} is "")."""
    since = (dt.date.fromisoformat(info["end"]) - dt.timedelta(days=365)).isoformat()
    conn = sqlite3.connect(f"file:{info['path']}?mode=ro", uri=True)
    try:
        (goal,) = conn.execute("SELECT min(id) FROM goals WHERE status = 'open'").fetchone()
    finally:
        conn.close()
    return {"since": since, "jrnl": "", "goal": str(goal or 1)}


def available(coachlog: str, bench: Bench, env: dict[str, str]) -> bool:
    if not bench.probe:
        return True
    done = subprocess.run(
        [coachlog, *bench.probe, "--help"],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "200"},
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        return False
    return bench.needs_flag is None or bench.needs_flag in done.stdout


def find_coachlog() -> str:
    beside = Path(sys.executable).parent / "coachlog"
    if beside.exists():
        return str(beside)
    found = shutil.which("coachlog")
    if found:
        return found
    sys.exit(
        "coachlog is not installed for this Python. Install it first:\n"
        "  python -m pip install -e .\n"
        "then run: python benchmarks/bench.py"
    )


def find_jrnl(option: str | None) -> str | None:
    if option == "off":
        return None
    if option and option != "auto":
        return option
    venv = OUT / "jrnl-venv" / "bin" / "jrnl"
    if venv.exists():
        return str(venv)
    return shutil.which("jrnl")


def install_jrnl() -> str:
    venv = OUT / "jrnl-venv"
    print(f"  installing jrnl into {venv} (for the comparison only)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "jrnl"], check=True
    )
    return str(venv / "bin" / "jrnl")


def jrnl_journal(size: int, seed: int) -> Path:
    """The same reflections as a jrnl plain-text journal, with a config file for it."""
    text = OUT / f"jrnl-{size}-seed{seed}-r{RECIPE}.txt"
    config = OUT / f"jrnl-{size}.yaml"
    if not text.exists():
        with open(text, "w", encoding="utf-8") as f:
            for e in jrnl_entries(size, seed):
                f.write(f"[{e['date']} {e['time']}] {e['title']} {e['body']}\n\n")
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {text}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\n"
        "version: v4.1\n"
    )
    return config


# ---------------------------------------------------------------- the report


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_size(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def span_text(info: dict[str, Any]) -> str:
    """The journal's first and last session, and how many sessions its last year holds."""
    since = (dt.date.fromisoformat(info["end"]) - dt.timedelta(days=365)).isoformat()
    conn = sqlite3.connect(f"file:{info['path']}?mode=ro", uri=True)
    try:
        first, last = conn.execute("SELECT min(on_date), max(on_date) FROM sessions").fetchone()
        (year,) = conn.execute(
            "SELECT count(*) FROM sessions WHERE on_date >= ?", (since,)
        ).fetchone()
    finally:
        conn.close()
    return f"sessions from {first} to {last}, {year:,} of them in the last year"


def cell_text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return cell.note if cell.note else fmt_time(cell.median)


def report(
    sizes: list[int],
    seeds: dict[int, dict[str, Any]],
    results: dict[str, dict[int, Cell]],
    baselines: dict[str, Cell],
    jrnl: dict[str, Cell],
    args: argparse.Namespace,
    coachlog_version: str,
) -> str:
    small, big = sizes[0], sizes[-1]
    several = len(sizes) > 1
    head = ["command", *(fmt_size(s) for s in sizes)]
    if several:
        head += [
            f"{fmt_size(big)}/{fmt_size(small)}",
            f"peak RSS {fmt_size(small)} → {fmt_size(big)}",
        ]
    else:
        head += ["peak RSS"]

    def row(*cells: str) -> str:
        return "| " + " | ".join(cells) + " |"

    def memory(a: float | None, b: float | None) -> str:
        if a is None or b is None:
            return ""
        return f"{a:.0f} → {b:.0f} MB" if several else f"{b:.0f} MB"

    lines = [
        "Wall time of the whole command as a user runs it (a fresh process each time; "
        f"the median of {args.repeat} runs after a warm-up run, of {args.slow_repeat} for the "
        "import) and the command's peak memory (RSS).",
        "",
        row(*head),
        "|---|" + "---:|" * (len(head) - 1),
    ]
    blank = [""] * (len(sizes) - 1)
    for name, cell in baselines.items():
        extra = [""] if several else []
        lines.append(
            row(
                f"`{name}` (baseline)", cell_text(cell), *blank, *extra, memory(cell.rss, cell.rss)
            )
        )
    for name, cells in results.items():
        a, b = cells.get(small), cells.get(big)
        extra = []
        if several:
            ratio = ""
            if a and b and a.median and b.median:
                ratio = f"{b.median / a.median:.2f}×"
            extra = [ratio]
        lines.append(
            row(
                f"`{name}`",
                *(cell_text(cells.get(s)) for s in sizes),
                *extra,
                memory(a.rss if a else None, b.rss if b else None),
            )
        )
    lines.append(
        row(
            "seeding it (generate + write, one transaction)",
            *(fmt_time(seeds[s]["seed_s"]) for s in sizes),
            *([""] if several else []),
            memory(seeds[small]["seed_rss_mb"], seeds[big]["seed_rss_mb"]),
        )
    )
    lines += ["", f"Journals (the same generator as `coachlog demo`, seed {args.seed}):", ""]
    for s in sizes:
        c = seeds[s]["counts"]
        lines.append(
            f"- {fmt_size(s)}: {c['sessions']:,} sessions, {c['reflections']:,} reflections, "
            f"{c['clients']:,} clients, {c['actions']:,} actions, {c['goals']:,} goals, "
            f"{c['goal_scores']:,} scores; {seeds[s]['file_mb']:.0f} MB file "
            f"(generate {seeds[s]['generate_s']:.1f} s, write {seeds[s]['write_s']:.1f} s); "
            f"{span_text(seeds[s])}"
        )
    lines += [
        "",
        "The import row imports N entries into an empty journal, so it grows with N by "
        "design; the export row covers the journal's last year, which holds more sessions "
        "in a bigger journal (see above).",
    ]
    if jrnl:
        lines += ["", f"jrnl on the same {big:,} reflections (plain-text journal):", ""]
        pairs = [
            ("jrnl -n 10", "reflection list"),
            (f"jrnl -contains {SEARCH_WORD}", f"search {SEARCH_WORD}"),
        ]
        for jname, cname in pairs:
            jc = jrnl.get(jname)
            cc = results.get(cname, {}).get(big)
            line = f"- `{jname}`: {cell_text(jc)}"
            if jc and jc.median and cc and cc.median:
                speed = jc.median / cc.median
                line += f"; `coachlog {cname}` {cell_text(cc)}, " + (
                    f"{speed:.1f}× faster" if speed >= 1 else f"{1 / speed:.1f}× slower"
                )
            lines.append(line)
    lines += encrypted_report(big, results, args)
    lines += ["", "Targets:", ""]
    lines += targets(sizes, results, baselines, seeds) or ["- (none measured in this run)"]
    if args.encrypted_results:
        _, by_plain, by_session, _ = args.encrypted_results
        for name, cell in by_session.items():
            plain = by_plain.get(name)
            if plain and plain.median and cell.median:
                r = cell.median / plain.median
                lines.append(
                    f"- `{name}` on the encrypted {fmt_size(big)} journal (session key) is "
                    f"{r:.2f}× the plain one (target ≤ 1.15×): "
                    + ("met" if r <= 1.15 else "NOT met")
                )
    lines += [
        "",
        f"Made by `{shlex.join(['python', 'benchmarks/bench.py', *args.argv])}` "
        f"on {dt.date.today().isoformat()}: coachlog {coachlog_version}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPUs; load average {args.load[0]:.1f} at the "
        f"start, {args.load[1]:.1f} at the end.",
    ]
    if max(args.load) > 0.5 * (os.cpu_count() or 1):
        lines.append(
            "**The machine was busy while this ran, so these times are inflated and noisy: "
            "run it again on an idle machine before quoting them.**"
        )
    return "\n".join(lines) + "\n"


def encrypted_report(big: int, results: dict[str, dict[int, Cell]], args: Any) -> list[str]:
    """The encrypted columns: the same commands on an encrypted copy of the largest journal."""
    if not getattr(args, "encrypted_results", None):
        return []
    made, by_plain, by_session, by_passphrase = args.encrypted_results
    lines = [
        "",
        f"Encrypted ({fmt_size(big)} journal, copied and encrypted with `coachlog db "
        f"encrypt` in {fmt_time(made['encrypt_s'])}, peak {made['encrypt_rss_mb']:.0f} MB; "
        f"`coachlog unlock` took {fmt_time(made['unlock_s'])}):",
        "",
        f"- opening the journal (median, in one process): plain "
        f"{made['open']['plain'] * 1000:.1f} ms, encrypted with the session key "
        f"{made['open']['session'] * 1000:.1f} ms, encrypted with `COACHLOG_PASSPHRASE` "
        f"{made['open']['passphrase'] * 1000:.0f} ms (scrypt N=2^17, r=8, p=1)",
        "",
        "Each command run on the plain journal, the encrypted one with the session key, "
        "and the encrypted one with the passphrase, in turn, round after round (median of "
        f"{max(args.repeat, 5)} rounds):",
        "",
        "| command | plain | encrypted, `COACHLOG_SESSION` | ratio | "
        "encrypted, `COACHLOG_PASSPHRASE` |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, cell in by_session.items():
        plain = by_plain.get(name)
        ratio = ""
        if plain and plain.median and cell.median:
            ratio = f"{cell.median / plain.median:.2f}×"
        lines.append(
            f"| `{name}` | {cell_text(plain)} | {cell_text(cell)} | {ratio} | "
            f"{cell_text(by_passphrase.get(name))} |"
        )
    return lines


def targets(
    sizes: list[int],
    results: dict[str, dict[int, Cell]],
    baselines: dict[str, Cell],
    seeds: dict[int, dict[str, Any]],
) -> list[str]:
    small, big = sizes[0], sizes[-1]
    out = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    help_cell = results.get("coachlog --help", {}).get(small)
    typer = baselines.get('python -c "import typer"')
    typer_s = typer.median if typer and typer.median else None
    if help_cell and help_cell.median and typer_s:
        r = help_cell.median / typer_s
        out.append(
            f"- `coachlog --help` is {r:.2f}× `import typer` (target ≤ {HELP_LIMIT}×): "
            + verdict(r <= HELP_LIMIT)
        )
    for bench in BENCHES:
        if bench.limit is None or bench.name not in results:
            continue
        b = results[bench.name].get(big)
        if b and b.median and typer_s:
            r = b.median / typer_s
            out.append(
                f"- `{bench.name}` at {fmt_size(big)} is {r:.2f}× `import typer` "
                f"(target ≤ {bench.limit}×): " + verdict(r <= bench.limit)
            )
        else:
            out.append(f"- `{bench.name}`: not measured ({cell_text(b) or 'n/a'})")
    if len(sizes) > 1 and "progress" in results:
        a, b = results["progress"].get(small), results["progress"].get(big)
        if a and b and a.median and b.median:
            r = b.median / a.median
            out.append(
                f"- `progress` at {fmt_size(big)} is {r:.2f}× its time at {fmt_size(small)} "
                f"(target ≤ {PROGRESS_SCALING}×): " + verdict(r <= PROGRESS_SCALING)
            )
        else:
            out.append(f"- `progress` scaling: not measured ({cell_text(b or a) or 'n/a'})")
    imp = results.get("import --from jrnl (N entries)", {}).get(big)
    if imp and imp.median:
        out.append(
            f"- import of {big:,} jrnl entries: {fmt_time(imp.median)} "
            f"(target < {IMPORT_SECONDS:.0f} s): " + verdict(imp.median < IMPORT_SECONDS)
        )
    for name, label in (
        ("import --from jrnl (N entries)", "import --from jrnl"),
        ("export supervision (a year)", "export supervision"),
    ):
        cell = results.get(name, {}).get(big)
        if cell and cell.rss is not None:
            out.append(
                f"- `{label}` peak RSS at {fmt_size(big)}: {cell.rss:.0f} MB "
                f"(target < {PEAK_MB:.0f} MB): " + verdict(cell.rss < PEAK_MB)
            )
        elif name in results:
            out.append(f"- `{label}` peak RSS: not measured ({cell_text(cell) or 'n/a'})")
    return out


# ---------------------------------------------------------------- main


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python benchmarks/bench.py",
        description="Time coachlog's commands on journals of 1k, 10k and 100k entries.",
    )
    p.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated journal sizes (sessions = reflections = N)",
    )
    p.add_argument("--repeat", type=int, default=5, help="timed runs per command (median)")
    p.add_argument("--slow-repeat", type=int, default=3, help="timed runs of the import")
    p.add_argument("--quick", action="store_true", help="smoke run: 1k only, one repeat")
    p.add_argument("--seed", type=int, default=SEED, help="generator seed")
    p.add_argument("--reseed", action="store_true", help="seed the journals again")
    p.add_argument("--only", default="", help="comma-separated command names to run")
    p.add_argument(
        "--encrypted",
        action="store_true",
        help="also time the everyday commands on an encrypted copy of the largest journal",
    )
    p.add_argument(
        "--jrnl",
        default="auto",
        metavar="PATH|auto|off",
        help="jrnl executable to compare with (auto: PATH or out/jrnl-venv)",
    )
    p.add_argument(
        "--install-jrnl",
        action="store_true",
        help="pip-install jrnl into benchmarks/out/jrnl-venv for the comparison",
    )
    args = p.parse_args(argv)
    args.argv = argv
    if args.quick:
        args.sizes, args.repeat, args.slow_repeat = "1000", 1, 1
    return args


def main(argv: list[str]) -> int:
    if argv[:1] == ["_seed"]:
        seed_child(argv[1], int(argv[2]), int(argv[3]))
        return 0
    if argv[:1] == ["_jrnl"]:
        jrnl_child(argv[1], int(argv[2]), int(argv[3]))
        return 0
    args = parse(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    OUT.mkdir(parents=True, exist_ok=True)
    coachlog = find_coachlog()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHLOG_")}
    env.update({"COACHLOG_NO_INPUT": "1", "NO_COLOR": "1", "COLUMNS": "80", "TERM": "dumb"})
    version = subprocess.run(
        [coachlog, "--version"], capture_output=True, text=True, env=env
    ).stdout.split()[-1:]
    only = {o.strip() for o in args.only.split(",") if o.strip()}

    load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print("Seeding journals", file=sys.stderr)
    seeds = {s: seeded(s, args.seed, args.reseed) for s in sizes}

    print("Baselines", file=sys.stderr)
    baselines = {
        'python -c "import typer"': measure(
            [sys.executable, "-c", "import typer"], env, args.repeat
        ),
        'python -c "pass"': measure([sys.executable, "-c", "pass"], env, args.repeat),
    }

    results: dict[str, dict[int, Cell]] = {}
    for bench in BENCHES:
        if only and bench.name not in only and bench.name.split()[0] not in only:
            continue
        results[bench.name] = {}
        has = available(coachlog, bench, env)
        for size in sizes:
            if not has:
                results[bench.name][size] = Cell(note="n/a (command not available)")
                continue
            info = seeds[size]
            fill = placeholders(info)
            db = Path(info["path"])
            before = None
            if bench.fresh_journal:
                fill["jrnl"] = str(jrnl_json_file(size, args.seed))
                db = OUT / f"import-{size}.db"

                def before(db: Path = db) -> None:
                    remove_journal(db)

            argv = [coachlog, "--db", str(db), *(a.format(**fill) for a in bench.args)]
            if bench.name == "coachlog --help":
                argv = [coachlog, "--help"]
            repeat = args.slow_repeat if bench.slow else args.repeat
            print(f"  {bench.name} @ {fmt_size(size)}", file=sys.stderr)
            results[bench.name][size] = measure(argv, env, repeat, before)
            if bench.fresh_journal:
                remove_journal(db)

    args.encrypted_results = None
    if args.encrypted:
        big = sizes[-1]
        made = encrypted_copy(seeds[big], coachlog, env)
        senv = {**env, "COACHLOG_SESSION": made["session"]}
        penv = {**env, "COACHLOG_PASSPHRASE": BENCH_PASSPHRASE}
        by_plain: dict[str, Cell] = {}
        by_session: dict[str, Cell] = {}
        by_passphrase: dict[str, Cell] = {}
        fill = placeholders(seeds[big])
        for bench in BENCHES:
            if not bench.everyday or bench.name not in results:
                continue
            bench_args = [a.format(**fill) for a in bench.args]
            plain_argv = [coachlog, "--db", seeds[big]["path"], *bench_args]
            argv = [coachlog, "--db", str(made["path"]), *bench_args]
            print(f"  {bench.name} @ {fmt_size(big)}, plain and encrypted", file=sys.stderr)
            cells = interleaved(
                [(plain_argv, env), (argv, senv), (argv, penv)], max(args.repeat, 5)
            )
            by_plain[bench.name], by_session[bench.name], by_passphrase[bench.name] = cells
        args.encrypted_results = (made, by_plain, by_session, by_passphrase)
        remove_journal(made["path"])

    jrnl_cells: dict[str, Cell] = {}
    jrnl = install_jrnl() if args.install_jrnl else find_jrnl(args.jrnl)
    if jrnl:
        big = sizes[-1]
        config = jrnl_journal(big, args.seed)
        print(f"jrnl ({jrnl}) on {big:,} entries", file=sys.stderr)
        base = [jrnl, "--config-file", str(config)]
        jenv = {**env, "HOME": str(OUT / "jrnl-home")}
        jrnl_cells["jrnl -n 10"] = measure([*base, "-n", "10"], jenv, args.repeat)
        jrnl_cells[f"jrnl -contains {SEARCH_WORD}"] = measure(
            [*base, "-contains", SEARCH_WORD], jenv, args.repeat
        )

    args.load = (load_start, os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0)
    text = report(sizes, seeds, results, baselines, jrnl_cells, args, "".join(version))
    (OUT / "results.md").write_text(text)
    raw = {
        "sizes": sizes,
        "seeds": seeds,
        "baselines": {k: [r.__dict__ for r in c.runs] for k, c in baselines.items()},
        "results": {
            name: {
                str(s): {"note": c.note, "runs": [r.__dict__ for r in c.runs]}
                for s, c in cells.items()
            }
            for name, cells in results.items()
        },
        "jrnl": {k: [r.__dict__ for r in c.runs] for k, c in jrnl_cells.items()},
    }
    if args.encrypted_results:
        made, by_plain, by_session, by_passphrase = args.encrypted_results
        raw["encrypted"] = {
            "plain": {k: [r.__dict__ for r in c.runs] for k, c in by_plain.items()},
            "encrypt_s": made["encrypt_s"],
            "unlock_s": made["unlock_s"],
            "open_s": made["open"],
            "session": {k: [r.__dict__ for r in c.runs] for k, c in by_session.items()},
            "passphrase": {k: [r.__dict__ for r in c.runs] for k, c in by_passphrase.items()},
        }
    (OUT / "results.json").write_text(json.dumps(raw, indent=1))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
