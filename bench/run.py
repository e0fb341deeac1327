"""Run every benchmark and rewrite its section of docs/performance.md.

Each bench script prints Markdown to stdout; the text between
``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` is replaced with it.
Usage: python bench/run.py [NAME ...]   (default: all)
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
PG = "postgres://postgres@127.0.0.1:5432"

BENCHES = {
    "import": (["bench/import_participants.py"], {"DATABASE_URL": f"{PG}/ukmlearn_bench"}),
    "cohort_pages": (["bench/cohort_pages.py"], {}),
    "pairing": (["bench/pairing.py"], {"DATABASE_URL": f"{PG}/ukmlearn_bench_pairing"}),
    "certificates": (["bench/certificates.py"], {"DATABASE_URL": f"{PG}/ukmlearn_bench"}),
    "reminder_sweep": (
        ["bench/reminder_sweep.py"],
        {"DATABASE_URL": f"{PG}/ukmlearn_bench_reminders"},
    ),
    "outcome_report": (
        ["bench/outcome_report.py"],
        {"DATABASE_URL": f"{PG}/ukmlearn_bench_outcomes"},
    ),
    "load": (["bench/load.py"], {"DATABASE_URL": f"{PG}/ukmlearn_bench_load"}),
    "scale": (["bench/scale.py"], {"DATABASE_URL": f"{PG}/ukmlearn_bench_big"}),
    "journey": (["bench/journey.py"], {}),
    "page_weight": (
        ["-m", "pytest", "-m", "browser", "tests/e2e", "-q", "-s", "-p", "no:cacheprovider"],
        {"TEST_SQLITE_NAME": str(ROOT / ".bench-e2e.sqlite3")},
    ),
}


def run(name: str) -> str:
    args, extra_env = BENCHES[name]
    env = {**os.environ, **extra_env}
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"bench {name} failed")
    out = result.stdout
    if name == "page_weight":
        # Keep only the summary the e2e suite prints at the end.
        lines = [line for line in out.splitlines() if " visit: " in line]
        out = "\n".join(["```", *lines, "```"])
    return out.strip()


def rewrite(name: str, text: str) -> None:
    doc = DOC.read_text()
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{text}\n{end}"
    if start in doc:
        doc = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, doc, flags=re.S)
    else:
        doc = doc.rstrip() + f"\n\n## {name}\n\n{block}\n"
    DOC.write_text(doc)


def main() -> None:
    names = sys.argv[1:] or list(BENCHES)
    for name in names:
        print(f"running {name} ...", flush=True)
        text = run(name)
        rewrite(name, text)
        print(text)


if __name__ == "__main__":
    main()
