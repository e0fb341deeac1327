"""Benchmark the participant import: a 10,000-row CSV into a fresh cohort.

Run on PostgreSQL (the database is created when missing, then migrated):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ukmlearn_bench \\
        .venv/bin/python bench/import_participants.py

Times import_plan, import_commit and a second import of the same file (which must change
nothing), counts their queries, then repeats plan + commit on another fresh file under
tracemalloc (which slows Python down, so it is kept out of the timed run) for peak memory.
Nothing is deleted: each run uses phone numbers no earlier run used.
"""

import os
import random
import resource
import sys
import tempfile
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 - needs the path set above

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ukmlearn.settings")

ROWS = 10_000
TARGET_SECONDS = 30

FIRST_NAMES = (
    "Siti Dewi Sri Nur Fitri Wulan Lina Rina Yuliana Ketut Putu Made Ayu Ratna Indah Maria "
    "Agus Budi Joko Eko Rudi Hendra Rahmat Andi Asep Yohanes Bambang Dedi Slamet Wayan Nyoman "
    "Fajar Rizky Dimas Anisa Intan Mega Ratih Lestari Kartika Suñarti"
).split()
LAST_NAMES = (
    "Aminah Lestari Prasetyo Hidayah Tefa Sari Hidayat Wahyuni Baso Marlina Handayani Susilo "
    "Wenda Saputra Gunawan Hartono Mote Sunandar Kusumawati Santoso Wirawan Siregar Nasution "
    "Simanjuntak Pohan Manurung Tanjung Harahap Pratama Setiawan Nugroho Purnomo Rahayu "
    "Wijaya Halim Sembiring Ginting Tarigan Lubis Daulay"
).split()
BUSINESS_WORDS = (
    "Warung Kedai Toko Dapur Rumah Griya Kios Sambal Keripik Batik Tenun Kopi Kue Laundry "
    "Servis Jahit Sayur Ikan Madu Rajut"
).split()
SECTORS = ["kuliner", "Makanan", "fashion", "Busana", "kerajinan", "jasa", "pertanian"]
SECTORS += ["Perikanan", "toko", "Reseller", "lainnya", "Food", "Services"]
PLACES = [
    ("Bandung", "Jawa Barat"),
    ("Garut", "Jabar"),
    ("Bogor", "jabar"),
    ("Semarang", "Jawa Tengah"),
    ("Pekalongan", "Jateng"),
    ("Surabaya", "Jawa Timur"),
    ("Malang", "Jatim"),
    ("Jakarta Timur", "DKI Jakarta"),
    ("Jakarta Selatan", "Jakarta"),
    ("Yogyakarta", "DIY"),
    ("Medan", "Sumut"),
    ("Makassar", "Sulsel"),
    ("Mataram", "NTB"),
    ("Kupang", "NTT"),
    ("Pontianak", "Kalbar"),
    ("Samarinda", "Kaltim"),
    ("Denpasar", "Bali"),
    ("Padang", "Sumatera Barat"),
    ("Palembang", "Sumsel"),
    ("Jayapura", "Papua"),
]
HEADER = ["No", "Nama Lengkap", "No. HP", "Email", "Nama Usaha", "Bidang Usaha"]
HEADER += ["Kota/Kabupaten", "Provinsi", "Jenis Kelamin", "Tahun Lahir"]


def free_block() -> int:
    return common.free_block("812")


def write_csv(path: Path, block: int) -> None:
    import csv

    rng = random.Random(block)  # noqa: S311 - reproducible test data
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for number in range(ROWS):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            city, province = rng.choice(PLACES)
            has_email = rng.random() < 0.4
            has_business = rng.random() < 0.9
            local = f"{first}.{last}.{block}{number:04d}".lower().replace("ñ", "n")
            email = f"{local}@example.com" if has_email else ""
            writer.writerow(
                [
                    number + 1,
                    f"{first} {last}",
                    f"0812-{block}-{number:04d}",
                    email,
                    f"{rng.choice(BUSINESS_WORDS)} {first}" if has_business else "",
                    rng.choice(SECTORS) if has_business else "",
                    city if has_business else "",
                    province if has_business else "",
                    rng.choice(["L", "P", "Perempuan", "Laki-laki", ""]),
                    rng.choice(["", str(rng.randrange(1960, 2004))]),
                ]
            )


def make_cohort(block: int):
    from cohorts.models import Cohort
    from courses.models import Course, Lesson, Module
    from ukmlearn.users.models import User

    staff = User.objects.create_user(
        f"+62811{block}0000", name=f"Staf Bench {block}", is_staff=True, is_learner=False
    )
    course = Course.objects.create(
        title=f"Jualan Online {block}", slug=f"bench-import-{block}", summary="Bench."
    )
    module = Module.objects.create(course=course, title="Mulai", position=1)
    Lesson.objects.create(module=module, title="Pengantar", position=1, body="Halo.")
    cohort = Cohort.objects.create(
        name=f"Angkatan Bench {block}",
        programme="Bench",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 6, 1),
        province="jabar",
        owner=staff,
    )
    cohort.courses.add(course)
    return staff, cohort


counting_queries = common.counting_queries
timed = common.timed


def traced(func):
    tracemalloc.start()
    try:
        result = func()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        common.ensure_database(url)
    else:
        print("DATABASE_URL is not PostgreSQL: the figures will not be the intended ones.")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cohorts.services.importing import import_commit, import_plan

    call_command("migrate", verbosity=0)

    def plan(cohort, path):
        with path.open("rb") as fh:
            return import_plan(cohort=cohort, file=fh, file_name=path.name)

    def commit(cohort, path, staff):
        with path.open("rb") as fh:
            return import_commit(cohort=cohort, file=fh, file_name=path.name, imported_by=staff)

    with tempfile.TemporaryDirectory() as tmp:
        block = free_block()
        path = Path(tmp) / "peserta.csv"
        write_csv(path, block)
        staff, cohort = make_cohort(block)

        first_plan, plan_s, plan_q = timed(lambda: plan(cohort, path))
        assert first_plan.counts["new"] == ROWS, first_plan.counts
        run, commit_s, commit_q = timed(lambda: commit(cohort, path, staff))
        assert run.created == ROWS
        second_plan, replan_s, replan_q = timed(lambda: plan(cohort, path))
        assert second_plan.counts["unchanged"] == ROWS, second_plan.counts
        rerun, recommit_s, recommit_q = timed(lambda: commit(cohort, path, staff))
        assert (rerun.created, rerun.updated, rerun.unchanged) == (0, 0, ROWS)

        # Memory, on another fresh file: tracemalloc makes everything slower, so not timed.
        block_m = free_block()
        path_m = Path(tmp) / "peserta-memori.csv"
        write_csv(path_m, block_m)
        staff_m, cohort_m = make_cohort(block_m)
        _plan_m, plan_peak = traced(lambda: plan(cohort_m, path_m))
        _run_m, commit_peak = traced(lambda: commit(cohort_m, path_m, staff_m))
        size_kb = path.stat().st_size / 1024

    maxrss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    mib = 1024 * 1024
    total = plan_s + commit_s
    print()
    print(f"Participant import, {ROWS:,} rows ({size_kb:,.0f} KB CSV), {connection.display_name}")
    print()
    print("| step | seconds | queries | tracemalloc peak |")
    print("|---|---:|---:|---:|")
    print(
        f"| import_plan (dry run, all new) | {plan_s:.2f} | {plan_q} | {plan_peak / mib:.1f} MiB |"
    )
    print(
        f"| import_commit (10,000 new) | {commit_s:.2f} | {commit_q} | "
        f"{commit_peak / mib:.1f} MiB |"
    )
    print(f"| import_plan again (all unchanged) | {replan_s:.2f} | {replan_q} | |")
    print(f"| import_commit again (changes nothing) | {recommit_s:.2f} | {recommit_q} | |")
    print()
    print(
        f"plan + commit: {total:.2f} s (target < {TARGET_SECONDS} s); "
        f"process maxrss {maxrss_mib:.0f} MiB"
    )
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
