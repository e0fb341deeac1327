"""Import participants into a cohort from a CSV or XLSX file (preview, then --commit)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cohorts.models import Cohort
from cohorts.services.importing import ImportFileError, ImportHasErrors, import_commit, import_plan
from ukmlearn.users.models import User
from ukmlearn.users.phone import normalize_phone


class Command(BaseCommand):
    help = (
        "Preview importing participants from a CSV or XLSX file into a cohort; "
        "with --commit, apply it (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("cohort_id", type=int)
        parser.add_argument("path")
        parser.add_argument(
            "--commit", action="store_true", help="Apply the import (default: preview only)."
        )
        parser.add_argument(
            "--by", metavar="PHONE", help="Phone number of the staff member doing the import."
        )

    def handle(self, *args, cohort_id, path, commit, by, verbosity, **options):
        cohort = Cohort.objects.filter(pk=cohort_id).first()
        if cohort is None:
            raise CommandError(f"No cohort with id {cohort_id}.")
        imported_by = self._staff(by) if by else None
        file_name = Path(path).name
        try:
            with open(path, "rb") as fh:
                plan = import_plan(cohort=cohort, file=fh, file_name=file_name)
                self._print_plan(plan, verbosity=verbosity)
                if not commit:
                    self.stdout.write("Preview only: nothing was written. Add --commit to import.")
                    return
                if plan.has_errors:
                    self._refuse(plan)
                try:
                    run = import_commit(
                        cohort=cohort, file=fh, file_name=file_name, imported_by=imported_by
                    )
                except ImportHasErrors as exc:  # the people changed since the preview
                    self._print_plan(exc.plan, verbosity=verbosity)
                    self._refuse(exc.plan)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into {cohort.name} (import {run.pk}): {run.created} new, "
                f"{run.updated} updated, {run.unchanged} unchanged."
            )
        )

    def _staff(self, phone: str) -> User:
        try:
            e164 = normalize_phone(phone)
        except ValidationError as exc:
            raise CommandError(f"--by: {exc.messages[0]}") from exc
        user = User.objects.filter(phone=e164).first()
        if user is None or not user.is_staff:
            raise CommandError(f"--by: no staff member with the number {e164}.")
        return user

    def _print_plan(self, plan, *, verbosity: int) -> None:
        for row in plan.rows:
            if row.status == "error":
                details = "; ".join(f"{column}: {message}" for column, message in row.errors)
                self.stdout.write(self.style.ERROR(f"row {row.row_number}  error  {details}"))
            elif row.status == "updated":
                self.stdout.write(f"row {row.row_number}  updated  {', '.join(row.changes)}")
            elif row.status == "new" and verbosity >= 2:
                self.stdout.write(f"row {row.row_number}  new  {row.name} {row.phone}")
        counts = plan.counts
        self.stdout.write(
            f"{counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['error']} with errors "
            f"({len(plan.rows)} rows)"
        )

    def _refuse(self, plan) -> None:
        self.stderr.write(
            f"Nothing imported: {plan.counts['error']} rows have errors. Fix them and run again."
        )
        # Exit status 1, as for a file error, but rows are not a CommandError: the preview
        # above already says what is wrong.
        raise SystemExit(1)
