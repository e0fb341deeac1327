"""Backups of the database and the uploaded files, and restoring them (issue 9).

One backup is one ``.tar`` file:

- ``manifest.json``: when, which engine, the applied migrations and the row count of every
  table (what a restore is checked against);
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or
  ``database.dump`` (``pg_dump --format=custom``, one snapshot);
- ``media/…``: every uploaded file (pictures, task photos, certificates, evidence).

``restore`` puts the database and the files back and compares the row counts with the
manifest; a mismatch is an error. The management commands ``backup`` and ``restore`` wrap
these functions.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

FORMAT = 1


class BackupError(Exception):
    pass


@dataclass
class Restored:
    tables: int
    rows: int
    files: int


def row_counts() -> dict[str, int]:
    """Rows in every table of an installed model (plus Django's migration record)."""
    tables = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        | {"django_migrations"}
    )
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts


def _postgres_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(destination: Path) -> Path:
    """Write a backup to ``destination`` (a directory: a timestamped file is made in it)."""
    destination.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = destination / f"ukmlearn-backup-{stamp}.tar"
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if vendor == "sqlite":
            dump = work_dir / "database.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                connection.connection.backup(copy)
            copy.close()
        elif vendor == "postgresql":
            dump = work_dir / "database.dump"
            args, env = _postgres_env()
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args], env)
        else:
            raise BackupError(f"no backup method for the {vendor} database")
        # Counted after the copy: rows written between the two are in neither or both on
        # SQLite (the copy is one snapshot) and at worst make the drill report a difference.
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "engine": vendor,
            "migrations": _applied_migrations(),
            "row_counts": row_counts(),
        }
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
            archive.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname="media")
        # A backup that was cut short (disk full, killed) never has the final name.
        partial.replace(target)
    return target


def _applied_migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def read_manifest(archive_path: Path) -> dict:
    try:
        with tarfile.open(archive_path) as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise BackupError("the backup has no manifest")
            return json.loads(member.read())
    except (tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"unreadable backup ({exc})") from exc


def restore(archive_path: Path) -> Restored:
    """Replace the database and the uploaded files with a backup's, then check the counts."""
    manifest = read_manifest(archive_path)
    vendor = connection.vendor
    if manifest.get("format") != FORMAT:
        raise BackupError("this backup was made by another version of the backup format")
    if manifest["engine"] != vendor:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database, this site uses {vendor}"
        )
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(archive_path) as archive:
            archive.extractall(work_dir, filter="data")
        if vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(work_dir / "database.sqlite3") as source:
                source.backup(connection.connection)
            source.close()
        else:
            connections.close_all()
            args, env = _postgres_env()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(work_dir / "database.dump"),
                ],
                env,
            )
        files = _restore_media(work_dir / "media")
    counts = row_counts()
    expected = manifest["row_counts"]
    different = {
        table: (expected.get(table), counts.get(table))
        for table in set(expected) | set(counts)
        if expected.get(table) != counts.get(table)
    }
    if different:
        raise BackupError(f"row counts differ after the restore (backup, now): {different}")
    return Restored(tables=len(counts), rows=sum(counts.values()), files=files)


def _restore_media(source: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    if not source.is_dir():
        media.mkdir(parents=True, exist_ok=True)
        return 0
    shutil.copytree(source, media)
    return sum(1 for path in media.rglob("*") if path.is_file())
