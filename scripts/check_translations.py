"""Fail when the Indonesian catalogue has untranslated or fuzzy entries, or when the
committed .mo file is not the compiled form of the committed .po file."""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def main() -> int:
    if not PO.exists() or not MO.exists():
        print(f"missing {PO} or {MO}", file=sys.stderr)
        return 1
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    if "untranslated" in stats or "fuzzy" in stats:
        print(f"Indonesian catalogue incomplete: {stats.strip()}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "-o", str(fresh), str(PO)], check=True)
        if fresh.read_bytes() != MO.read_bytes():
            print("django.mo is stale: run `make messages`", file=sys.stderr)
            return 1
    print(f"translations complete: {stats.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
