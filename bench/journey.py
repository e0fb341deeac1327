"""What the whole demo course costs a learner in mobile data, as a Markdown table.

Runs the browser test tests/e2e/test_page_weight.py::test_whole_course_data_cost (gunicorn,
Debian's chromium, a fresh learner with nothing cached; every byte both ways counted on the
socket, the service worker's included) and turns the "journey:" lines of its summary into a
table for docs/performance.md.

Usage: python bench/journey.py   (bench/run.py journey rewrites the block in the doc)
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/e2e/test_page_weight.py::test_whole_course_data_cost"
TARGET_KB = 300  # issue 8: the whole course, excluding video and photos
LINE = re.compile(
    r"^journey: (?P<label>.+): (?P<requests>\d+) requests, "
    r"(?P<received>\d+) B received, (?P<sent>\d+) B sent$"
)


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def main() -> None:
    env = {"TEST_SQLITE_NAME": str(ROOT / ".bench-e2e.sqlite3"), **os.environ}
    command = [sys.executable, "-m", "pytest", "-m", "browser", "-q", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, TEST], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit("the journey test failed")
    lines = [line for line in result.stdout.splitlines() if line.startswith("journey: ")]
    rows = [match.groupdict() for line in lines if (match := LINE.match(line))]
    if not rows or rows[-1]["label"] != "total":
        sys.stderr.write(result.stdout[-4000:])
        raise SystemExit("no journey lines in the test's output")
    title = next(line for line in lines if not LINE.match(line)).removeprefix("journey: ")

    print(f"Measured: {title}.\n")
    print("| what | requests | received (KB) | sent (KB) |")
    print("|---|---:|---:|---:|")
    for row in rows:
        label = f"**{row['label']}**" if row["label"] == "total" else row["label"]
        print(
            f"| {label} | {row['requests']} | {kb(int(row['received']))} | {kb(int(row['sent']))} |"
        )
    total = rows[-1]
    received, sent = int(total["received"]), int(total["sent"])
    print(
        f"\nTarget (issue 8): ≤ {TARGET_KB} KB for the whole course, excluding video and photos: "
        f"{kb(received)} KB received, {kb(received + sent)} KB both ways."
    )


if __name__ == "__main__":
    main()
