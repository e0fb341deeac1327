"""The backup and restore commands, with a restore drill that compares every table's rows
(issue 9). Runs on whichever database the suite runs on: SQLite's online backup API or
pg_dump/pg_restore on PostgreSQL."""

import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.models import Course, Enrollment, Lesson, Module
from tests.factories import UserFactory
from ukmlearn.backups import BackupError, backup, read_manifest, restore, row_counts

pytestmark = pytest.mark.django_db(transaction=True)


def make_site():
    people = [UserFactory() for _ in range(3)]
    course = Course.objects.create(title="Kursus", slug="kursus", summary="S", is_published=True)
    module = Module.objects.create(course=course, title="Modul 1", position=1)
    Lesson.objects.create(module=module, title="Bacaan", body="**Halo**", position=1)
    for person in people:
        Enrollment.objects.create(user=person, course=course)
    name = default_storage.save("lessons/catatan.txt", ContentFile(b"isi berkas"))
    return people, name


def test_a_restore_drill_brings_back_every_row_and_every_file(tmp_path):
    people, file_name = make_site()
    before = row_counts()
    archive = backup(tmp_path / "backups")

    # Disaster: rows and files lost, and something new written afterwards.
    Enrollment.objects.all().delete()
    people[0].delete()
    UserFactory()
    default_storage.delete(file_name)
    assert row_counts() != before

    restored = restore(archive)

    assert row_counts() == before
    assert restored.rows == sum(before.values())
    assert restored.tables == len(before)
    assert restored.files == 1
    with default_storage.open(file_name) as restored_file:
        assert restored_file.read() == b"isi berkas"
    assert Enrollment.objects.count() == 3
    # The restored rows are usable, not only countable.
    assert Lesson.objects.get().body_html == "<p><strong>Halo</strong></p>"


def test_the_backup_describes_itself(tmp_path):
    make_site()

    archive = backup(tmp_path)

    manifest = read_manifest(archive)
    assert manifest["row_counts"]["courses_enrollment"] == 3
    assert manifest["row_counts"]["users_user"] == 3
    assert "courses.0001_initial" in manifest["migrations"]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert any(name.startswith("database.") for name in names)
    assert "media/lessons/catatan.txt" in names
    assert not list(tmp_path.glob("*.partial")), "only finished backups keep a name"


def test_the_commands_back_up_and_restore(tmp_path, capsys):
    make_site()
    call_command("backup", output=str(tmp_path))
    archive = next(tmp_path.glob("ukmlearn-backup-*.tar"))
    assert "tables" in capsys.readouterr().out
    Enrollment.objects.all().delete()

    call_command("restore", str(archive), yes=True)

    assert Enrollment.objects.count() == 3
    assert "counts match the backup" in capsys.readouterr().out


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(tmp_path):
    make_site()
    bogus = tmp_path / "not-a-backup.tar"
    bogus.write_bytes(b"this is not a tar file")
    with pytest.raises(CommandError, match="not a ukmlearn backup"):
        call_command("restore", str(bogus), yes=True)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.tar"), yes=True)
    assert Enrollment.objects.count() == 3


def test_restore_refuses_a_backup_of_another_database_engine(tmp_path, monkeypatch):
    make_site()
    archive = backup(tmp_path)
    manifest = read_manifest(archive)
    monkeypatch.setattr(
        "ukmlearn.backups.read_manifest",
        lambda _path: {**manifest, "engine": "oracle"},
    )
    with pytest.raises(BackupError, match="oracle"):
        restore(archive)
    assert Enrollment.objects.count() == 3


def test_restore_asks_before_replacing_everything(tmp_path, monkeypatch):
    make_site()
    archive = backup(tmp_path)
    Enrollment.objects.all().delete()
    monkeypatch.setattr("builtins.input", lambda _prompt: "no")

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(archive))

    assert Enrollment.objects.count() == 0
