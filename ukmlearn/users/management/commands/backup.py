from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ukmlearn.backups import BackupError, backup, read_manifest


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="var/backups", help="Directory for the backup (var/backups)."
        )

    def handle(self, *args, **options):
        try:
            path = backup(Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = read_manifest(path)["row_counts"]
        size = path.stat().st_size
        self.stdout.write(
            f"{path} ({size:,} bytes): {len(counts)} tables, {sum(counts.values()):,} rows"
        )
