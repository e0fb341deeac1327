"""Personal data services: the audit log, "Unduh data saya" and "Hapus akun" (UU PDP)."""

import csv
import io
import json
import logging
import uuid
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from .models import AuditEvent, DataExport
from .registry import BLANK, CUSTOM, DELETE, REGISTRY, Entry

logger = logging.getLogger("ukmlearn.privacy")


# --- Audit log ---------------------------------------------------------------------------


def audit_record(*, actor, action: str, target, subject_id: int | None = None) -> None:
    """One line in the audit log: who, what kind of access, which object, about whom.
    ``target`` is a model instance (or a "label:id" string); its content is never stored."""
    if isinstance(target, models.Model):
        target = f"{target._meta.label_lower}:{target.pk}"
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target=str(target)[:80],
        subject_id=subject_id,
    )


# --- Export --------------------------------------------------------------------------------


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None  # an optional app (allauth.mfa, usersessions) that is not installed


def _rows(entry: Entry, user) -> models.QuerySet | None:
    model = _model(entry.model)
    if model is None:
        return None
    return model._default_manager.filter(**{entry.path: user.pk}).order_by("pk")


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def export_build(user) -> bytes:
    """A ZIP with one JSON and one CSV file per kind of record held about ``user``, the
    files they uploaded, and a README saying what each part is."""
    buffer = io.BytesIO()
    index = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in REGISTRY:
            rows = _rows(entry, user)
            if rows is None:
                continue
            model = rows.model
            fields = [f for f in model._meta.concrete_fields if f.name not in entry.not_exported]
            records = []
            for obj in rows:
                record = {}
                for f in fields:
                    value = getattr(obj, f.attname)
                    record[f.attname] = _plain(value)
                    if isinstance(f, models.FileField) and value:
                        try:
                            with value.open("rb") as handle:
                                archive.writestr(f"files/{value.name}", handle.read())
                        except OSError:
                            logger.warning("export: file %s of %s missing", value.name, obj)
                records.append(record)
            if not records:
                continue
            stem = f"{entry.model.replace('.', '_')}__{entry.path}"
            archive.writestr(
                f"{stem}.json", json.dumps(records, ensure_ascii=False, indent=1, default=str)
            )
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=list(records[0]))
            writer.writeheader()
            for record in records:
                writer.writerow(
                    {
                        k: _csv_cell(
                            json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                        )
                        for k, v in record.items()
                    }
                )
            archive.writestr(f"{stem}.csv", text.getvalue())
            index.append(f"{stem}: {len(records)} ({entry.why})")
        archive.writestr(
            "README.txt",
            "ukmlearn — data held about account "
            f"{user.pk}, made {timezone.now().isoformat()}\n\n"
            + "\n".join(index)
            + "\n\nEach kind of record is in a .json file and the same in a .csv file. "
            "files/ holds what you uploaded.\n",
        )
    return buffer.getvalue()


def _csv_cell(value):
    # Spreadsheet programs run cells that start with these as formulas (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


STALE_EXPORT = timedelta(minutes=10)


def export_request(*, user) -> DataExport:
    """Queue a new export unless one is already being prepared."""
    from ukmlearn.queue import enqueue_on_commit

    from .tasks import build_data_export

    pending = DataExport.objects.filter(user=user, status=DataExport.Status.PENDING).first()
    if pending:
        if pending.requested_at < timezone.now() - STALE_EXPORT:
            # Lost on the way (the broker was down): asking again sends it again, once per
            # ten minutes however often the button is pressed.
            DataExport.objects.filter(pk=pending.pk).update(requested_at=timezone.now())
            enqueue_on_commit(build_data_export, pending.pk)
        return pending
    export = DataExport.objects.create(user=user)
    enqueue_on_commit(build_data_export, export.pk)
    return export


def export_finish(*, export_id: int) -> None:
    """Worker side: build the ZIP and mark the export ready (or failed)."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return
    try:
        data = export_build(export.user)
    except Exception:
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    export.file.save("export.zip", ContentFile(data), save=False)
    export.bytes = len(data)
    export.status = DataExport.Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "bytes", "status", "finished_at"])


# --- Erasure -------------------------------------------------------------------------------


def _delete_files(rows) -> None:
    file_fields = [f for f in rows.model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields:
        return
    for obj in rows:
        for f in file_fields:
            value = getattr(obj, f.attname)
            if value:
                value.storage.delete(value.name)


def account_erase(*, user, actor=None) -> None:
    """Remove everything that identifies ``user``; safe to run again (a half-finished erase
    is finished by the next run). Anonymous aggregates (progress, indicator columns, the
    anonymised user row) remain for the outcome report."""
    from ukmlearn.users.models import User

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        for entry in REGISTRY:
            rows = _rows(entry, user)
            if rows is None:
                continue
            if entry.erase == DELETE:
                _delete_files(rows)
                rows.delete()
            elif entry.erase == BLANK:
                _delete_files(rows)
                rows.update(**entry.blank)
            elif entry.erase == CUSTOM:
                _erase_custom(entry, rows, user)
        # Any session not tracked by usersessions is dead too: Django's auth backend turns
        # away inactive users on every request.
        _end_pairings(user)
        if user.name:
            _scrub_name(user)
        user.name = ""
        user.phone = None
        user.phone_verified = False
        user.email = f"erased-{user.pk}@erased.invalid"
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        from ukmlearn.users.models import Consent

        Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        audit_record(
            actor=actor or user,
            action=AuditEvent.Action.ERASE,
            target=f"users.user:{user.pk}",
            subject_id=user.pk,
        )
    logger.info("account erased: user=%s", user.pk)


def _end_pairings(user) -> None:
    """The mentor stops seeing (and being reminded about) a mentee who is gone."""
    from mentoring.models import Pairing

    Pairing.objects.filter(learner=user, status=Pairing.Status.ACTIVE).update(
        status=Pairing.Status.ENDED, ended_at=timezone.now()
    )


def _scrub_name(user) -> None:
    """Other people's rows that quote the person's name: a mentor's reminders and in-app
    messages ("log your session with Siti"), and the admin's history of changes to the
    person. The name is replaced, the rest of the row stays."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Value
    from django.db.models.functions import Replace

    from ukmlearn.notifications.models import Notification, Reminder

    name = user.name.strip()
    if len(name) >= 3:
        for model in (Reminder, Notification):
            model.objects.filter(text__contains=name).update(
                text=Replace("text", Value(name), Value("—"))
            )
    profile_type = ContentType.objects.get_for_model(apps.get_model("users", "BusinessProfile"))
    user_type = ContentType.objects.get_for_model(type(user))
    profile_ids = [
        str(pk)
        for pk in apps.get_model("users", "BusinessProfile")
        .objects.filter(user=user)
        .values_list("pk", flat=True)
    ]
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_repr="—", change_message=""
    )
    if profile_ids:
        LogEntry.objects.filter(content_type=profile_type, object_id__in=profile_ids).update(
            object_repr="—", change_message=""
        )


def _erase_custom(entry: Entry, rows, user) -> None:
    if entry.model == "users.User":
        return  # done last, by account_erase itself
    if entry.model == "usersessions.UserSession":
        # Through the session engine, whichever it is (a cached engine forgets its copy too).
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for key in rows.values_list("session_key", flat=True):
            store(session_key=key).delete()
        rows.delete()
    elif entry.model == "courses.Certificate":
        _delete_files(rows)
        from courses.models import Certificate

        rows.update(name="", png="", pdf="", status=Certificate.Status.ERASED)
    elif entry.model == "outcomes.Partner":
        for partner in rows:
            partner.members.remove(user)
    else:  # pragma: no cover - a registry entry without its code is a programming error
        raise NotImplementedError(entry.model)


EXPORT_KEPT = timedelta(days=7)


def exports_cleanup(*, now=None) -> int:
    """Delete the files of downloads older than a week (the page no longer offers them)."""
    now = now or timezone.now()
    old = DataExport.objects.filter(finished_at__lt=now - EXPORT_KEPT).exclude(file="")
    count = 0
    for export in old:
        export.file.storage.delete(export.file.name)
        count += 1
    old.update(file="")
    DataExport.objects.filter(
        requested_at__lt=now - EXPORT_KEPT, status=DataExport.Status.PENDING
    ).update(status=DataExport.Status.FAILED, finished_at=now)
    return count
