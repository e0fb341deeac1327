from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ukmlearn.backups import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup made by `backup`, then "
        "check every table's row count against the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar file written by `manage.py backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: everything now stored is replaced."
        )

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        try:
            manifest = read_manifest(path)
        except (BackupError, OSError, ValueError) as exc:
            raise CommandError(f"{path} is not a ukmlearn backup: {exc}") from exc
        if not options["yes"]:
            answer = input(
                f"Replace this site's database and files with the backup of "
                f"{manifest['created_at']}? Type 'yes': "
            )
            if answer.strip() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            restored = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {restored.tables} tables ({restored.rows:,} rows, counts match the "
            f"backup) and {restored.files} files."
        )
