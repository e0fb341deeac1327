"""Every form of the project, as the fuzz tests post it: who may use it, its URL, and a
strategy for each of its real fields (read from the form classes).

A Spec's `before` runs before every example (a flow step such as "a reset code was sent"),
`setup` once per test, `after` posts what follows the form (the import's second step).
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import count

from django.core import mail
from django.urls import reverse
from hypothesis import strategies as st

from tests.factories import PASSWORD, UserFactory
from tests.security import strategies as s
from ukmlearn.users.choices import Province, Sector, TimeZone

PHONES = count(1)


def no_fields(w, ids):
    return {}


@dataclass
class Spec:
    persona: str  # a key of the `personas` fixture, or "passwordless" (no usable password)
    url: Callable  # (world) -> path
    fields: Callable = no_fields  # (world, id strings) -> {name: strategy}
    files: Callable | None = None  # (world) -> {name: strategy of a list of uploads}
    setup: Callable | None = None  # (client, world, personas, ctx) once per test
    before: Callable | None = None  # (client, world, ctx) before every example
    after: Callable | None = None  # (client, world) -> [responses] after every example
    # What a GET answers once `before` has run: the person reached the view (its form, or
    # 405 for a POST-only view), rather than being sent to sign in or to start a flow.
    reaches: tuple = (200, 405)


def uuids():
    return [str(uuid.uuid4()) for _ in range(3)]


def dates():
    return ["2026-12-01", "2027-01-15"]


# --- Flows: put the client where the form is ----------------------------------------------


def reauthenticate(client):
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def give_email(user, address):
    from allauth.account.models import EmailAddress

    user.email = address
    user.save(update_fields=["email"])
    EmailAddress.objects.update_or_create(
        user=user, email=address, defaults={"verified": True, "primary": True}
    )


def start_reset_by_code(client, w, ctx):
    client.post(reverse("account_reset_password"), {"email": ctx["email"]})


def reset_code_entered(client, w, ctx):
    start_reset_by_code(client, w, ctx)
    code = None
    if mail.outbox:
        found = re.findall(r"^\s*([A-Z0-9][A-Z0-9-]{4,14})\s*$", mail.outbox[-1].body, re.M)
        code = found[0] if found else None
    if code:
        client.post(reverse("account_confirm_password_reset_code"), {"code": code})


def phone_reset_started(client, w, ctx):
    from ukmlearn.users import services
    from ukmlearn.users.views import PHONE_RESET_SESSION_KEY

    state, _code = services.phone_reset_issue(phone=w.learner.phone)
    session = client.session
    session[PHONE_RESET_SESSION_KEY] = asdict(state)
    session.save()


def invitation_opened(client, w, ctx):
    from ukmlearn.users.views import INVITATION_SESSION_KEY

    session = client.session
    session[INVITATION_SESSION_KEY] = ctx["invitation"].pk
    session.save()


def make_invitation(client, w, personas, ctx):
    from ukmlearn.users import services

    person = UserFactory(name="Undangan Baru", password=None)
    ctx["invitation"], _token = services.invitation_create(user=person, created_by=None)


def phone_change_started(client, w, ctx):
    reauthenticate(client)
    client.post(reverse("account_change_phone"), {"phone": f"+62813990{next(PHONES):05d}"})


def totp_for(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    return TOTP.activate(user, generate_totp_secret())


def learner_with_totp(client, w, personas, ctx):
    totp_for(w.learner)


def login_until_second_factor(client, w, ctx):
    client.post(reverse("account_login"), {"login": w.learner.phone, "password": PASSWORD})


def totp_activation_open(client, w, ctx):
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))


def reviewable(client, w, ctx):
    from courses.models import TaskSubmission

    TaskSubmission.objects.filter(pk=w.submission.pk).update(status=TaskSubmission.Status.SUBMITTED)


def commit_import(client, w):
    return [client.post(reverse("cohorts:cohort_import_commit", args=[w.cohort.pk]))]


def with_email(client, w, personas, ctx):
    ctx["email"] = "siti@example.com"
    give_email(w.learner, ctx["email"])


# --- Field strategies ---------------------------------------------------------------------

PASSWORDS = [PASSWORD, "Kata-Sandi-Baru-2026", "12345678", "password", "a"]
PHONE_GOOD = ["0813 0000 0001", "+6281399999999", "6281399999998", "0812-3456-7890"]


def cohort_fields(w, ids):
    return {
        "name": s.field("Angkatan Baru", ids=ids),
        "programme": s.field("Program", ids=ids),
        "courses": s.multi(str(w.course.pk), str(w.foreign_lesson.module.course_id), ids=ids),
        "start_date": s.field(*dates(), ids=ids),
        "end_date": s.field("2027-03-01", ids=ids),
        "province": s.field("jabar", "dki", ids=ids),
        "city": s.field("Bandung", ids=ids),
        "mode": s.field("online", "offline", "hybrid", ids=ids),
        "capacity": s.field("30", ids=ids),
        "timezone": s.field(*TimeZone.values, ids=ids),
        "status": s.field("draft", "running", "finished", ids=ids),
        "min_attendance_percent": s.field("", "80", "101", ids=ids),
        "min_confirmed_sessions": s.field("", "2", ids=ids),
        "endline_required": s.field("on", "", ids=ids),
        "inactive_days": s.field("7", ids=ids),
    }


def session_log_fields(w, ids, *, actions=True):
    fields = {
        "held_at": s.field("2026-11-27T10:00", ids=ids),
        "duration_minutes": s.field("30", "0", "601", ids=ids),
        "mode": s.field("wa_call", "wa_chat", "video", "in_person", ids=ids),
        "topics": s.multi(str(w.tag.pk), ids=ids),
        "summary": s.field("Membahas foto produk", ids=ids),
        "private_notes": s.field("Catatan", ids=ids),
        "next_planned_at": s.field("", *dates(), ids=ids),
    }
    if actions:
        for n in (1, 2, 3):
            fields[f"action_{n}"] = s.field("Foto 10 produk", ids=ids)
            fields[f"action_{n}_due"] = s.field(*dates(), ids=ids)
    return fields


def survey_fields(w, ids):
    from outcomes import instrument

    fields = {
        "send": s.field("1", ids=ids),
        "draft": s.field("1", ids=ids),
        "next": s.field("/courses/", "https://evil.example/", ids=ids),
    }
    for question in w.survey.questions.all():
        codes = [code for code, _label in question.choices]
        if question.answer_kind == instrument.MULTI:
            fields[question.field_name] = s.multi(*codes, ids=ids)
        else:
            fields[question.field_name] = s.field(*codes, ids=ids)
    return fields


def survey_files(w):
    return {
        f"evidence_{q.pk}": s.uploads()
        for q in w.survey.questions.all()
        if q.allow_evidence or (q.core and q.core.evidence)
    }


def quiz_fields(w, ids):
    from courses.models import Option

    options = [str(pk) for pk in Option.objects.values_list("pk", flat=True)]
    fields = {"idempotency_key": s.field(*uuids(), ids=ids)}
    for question in w.quiz.questions.all():
        fields[f"q{question.pk}"] = s.multi(*options, ids=ids)
    return fields


def rule_fields(w, ids):
    from ukmlearn.notifications.views import STAFF_KINDS

    fields = {}
    for kind in STAFF_KINDS:
        fields[f"{kind}-enabled"] = s.field("on", ids=ids)
        fields[f"{kind}-threshold_days"] = s.field("0", "5", "61", ids=ids)
        fields[f"{kind}-channels"] = s.multi("in_app", "email", "whatsapp", ids=ids)
    return fields


def csv_rows():
    """A participant spreadsheet: a header (real and made-up columns) and hostile rows."""
    header = st.lists(
        st.sampled_from(
            ["Nama", "No HP", "Email", "Nama Usaha", "Sektor", "Kota", "Provinsi", "JK"]
            + ["Tahun Lahir", "", "=cmd|' /C calc'!A0", "Nama"]
        ),
        min_size=1,
        max_size=9,
    )
    cell = st.one_of(
        st.sampled_from(PHONE_GOOD + ["Siti", "kuliner", "jabar", "1990", "female"]),
        s.scalar().filter(lambda v: len(v) < 2000),
    )
    rows = st.lists(st.lists(cell, max_size=10), max_size=6)
    encoding = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])

    def build(head, body, enc):
        import csv
        import io

        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(head)
        writer.writerows(body)
        return text.getvalue().encode(enc, errors="replace")

    return st.builds(build, header, rows, encoding)


def import_files(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    one = st.one_of(
        st.builds(
            lambda data, name: SimpleUploadedFile(name, data, content_type="text/csv"),
            csv_rows(),
            st.sampled_from(["peserta.csv", "peserta.xlsx", "peserta.xls", "../x.csv", "x"]),
        ),
        st.builds(
            lambda data, name: SimpleUploadedFile(name, data),
            st.one_of(
                st.binary(max_size=512),
                st.just(s.zip_bomb_xlsx()),
                st.just(b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
            ),
            st.sampled_from(["peserta.xlsx", "peserta.csv"]),
        ),
    )
    return {"file": st.lists(one, max_size=2)}


def ids_of_people(w):
    return [str(u.pk) for u in (w.learner, w.other_learner, w.other_mentor, w.other_staff)]


def _values(payload, name):
    value = payload.get(name, [])
    return value if isinstance(value, list) else [value]


# name -> Spec. Names are URL names; SPECIAL personas are made by the test (see test module).
SPECS = {
    # --- courses ---------------------------------------------------------------------
    "courses:enrol": Spec("learner", lambda w: reverse("courses:enrol", args=[w.course.slug])),
    "courses:lesson_complete": Spec(
        "learner", lambda w: reverse("courses:lesson_complete", args=[w.course.slug, w.reading.pk])
    ),
    "courses:quiz_submit": Spec(
        "learner",
        lambda w: reverse("courses:quiz_submit", args=[w.course.slug, w.quiz.pk]),
        quiz_fields,
    ),
    "courses:task_submit": Spec(
        "learner",
        lambda w: reverse("courses:task_submit", args=[w.course.slug, w.task.pk]),
        lambda w, ids: {
            "idempotency_key": s.field(*uuids(), ids=ids),
            "text": s.field("Katalog saya", ids=ids),
            "link": s.field(
                "https://wa.me/c/6281300000001",
                "javascript:alert(1)",
                "example.com",
                "ftp://x",
                ids=ids,
            ),
        },
        files=lambda w: {"photos": s.uploads()},
    ),
    "courses:certificate_manage": Spec(
        "staff",
        lambda w: reverse("courses:certificate_manage", args=[w.certificate.pk]),
        lambda w, ids: {
            "revoke": s.field("1", ids=ids),
            "reason": s.field("Salah nama", ids=ids),
            "reissue": s.field("1", ids=ids),
            "name": s.field("Siti Aminah", ids=ids),
        },
    ),
    "courses:review_submission": Spec(
        "staff",
        lambda w: reverse("courses:review_submission", args=[w.submission.pk]),
        lambda w, ids: {
            "decision": s.field("approve", "revise", ids=ids),
            "feedback": s.field("Bagus", ids=ids),
        },
        before=reviewable,
    ),
    # --- cohorts ---------------------------------------------------------------------
    "cohorts:cohort_create": Spec(
        "staff",
        lambda w: reverse("cohorts:cohort_create"),
        cohort_fields,
    ),
    "cohorts:cohort_edit": Spec(
        "staff",
        lambda w: reverse("cohorts:cohort_edit", args=[w.cohort.pk]),
        cohort_fields,
    ),
    "cohorts:cohort_import": Spec(
        "staff",
        lambda w: reverse("cohorts:cohort_import", args=[w.cohort.pk]),
        files=import_files,
        after=commit_import,
    ),
    "cohorts:cohort_import_commit": Spec(
        "staff", lambda w: reverse("cohorts:cohort_import_commit", args=[w.cohort.pk])
    ),
    "cohorts:cohort_invite_member": Spec(
        "staff",
        lambda w: reverse("cohorts:cohort_invite_member", args=[w.cohort.pk, w.learner.pk]),
    ),
    "cohorts:session_create": Spec(
        "staff",
        lambda w: reverse("cohorts:session_create", args=[w.cohort.pk]),
        lambda w, ids: {
            "title": s.field("Sesi QRIS", ids=ids),
            "date": s.field(*dates(), ids=ids),
            "start_time": s.field("09:00", "23:59", ids=ids),
            "end_time": s.field("11:00", "00:00", ids=ids),
            "meeting_url": s.field("https://meet.example/abc", "javascript:alert(1)", ids=ids),
            "venue": s.field("Balai Desa", ids=ids),
            "address": s.field("Jl. Merdeka 1", ids=ids),
            "catch_up_lesson": s.field(str(w.reading.pk), str(w.foreign_lesson.pk), ids=ids),
            "catch_up_counts": s.field("on", ids=ids),
        },
    ),
    "cohorts:session_attendance": Spec(
        "staff",
        lambda w: reverse("cohorts:session_attendance", args=[w.cohort.pk, w.session.pk]),
        lambda w, ids: {
            "shown": s.multi(*ids_of_people(w), ids=ids),
            "present": s.multi(*ids_of_people(w), ids=ids),
        },
    ),
    "cohorts:session_checkin": Spec(
        "learner",
        lambda w: reverse("cohorts:session_checkin", args=[w.session.pk]),
        lambda w, ids: {
            "code": s.field(w.session.checkin_code, "000000", ids=ids),
            "via": s.field("qr", "code", ids=ids),
        },
    ),
    # --- mentoring -------------------------------------------------------------------
    "mentoring:mentor_profile": Spec(
        "mentor",
        lambda w: reverse("mentoring:mentor_profile"),
        lambda w, ids: {
            "expertise": s.multi(str(w.tag.pk), ids=ids),
            "sectors": s.multi(*Sector.values, ids=ids),
            "provinces": s.multi(*Province.values[:3], ids=ids),
            "cities": s.field("Bandung, Cimahi", ",,,", ids=ids),
            "languages": s.multi("id", "jv", "su", ids=ids),
            "modes": s.multi("online", "in_person", ids=ids),
            "capacity": s.field("5", "0", "201", ids=ids),
        },
    ),
    "mentoring:session_log": Spec(
        "mentor",
        lambda w: reverse("mentoring:session_log", args=[w.pairing.pk]),
        session_log_fields,
    ),
    "mentoring:session_edit": Spec(
        "mentor",
        lambda w: reverse("mentoring:session_edit", args=[w.mentoring_session.pk]),
        lambda w, ids: session_log_fields(w, ids, actions=False),
    ),
    "mentoring:review_submission": Spec(
        "mentor",
        lambda w: reverse("mentoring:review_submission", args=[w.submission.pk]),
        lambda w, ids: {
            "decision": s.field("approve", "revise", ids=ids),
            "feedback": s.field("Bagus", ids=ids),
        },
        before=reviewable,
    ),
    "mentoring:learner_needs": Spec(
        "learner",
        lambda w: reverse("mentoring:learner_needs"),
        lambda w, ids: {
            "skills": s.multi(str(w.tag.pk), ids=ids),
            "language": s.field("id", "jv", ids=ids),
            "preferred_mode": s.field("any", "online", "in_person", ids=ids),
        },
    ),
    "mentoring:session_confirm": Spec(
        "learner",
        lambda w: reverse("mentoring:session_confirm", args=[w.mentoring_session.pk]),
        lambda w, ids: {
            "rating": s.field("1", "5", "6", ids=ids),
            "comment": s.field("Terima kasih", ids=ids),
        },
    ),
    "mentoring:action_item_done": Spec(
        "learner",
        lambda w: reverse("mentoring:action_item_done", args=[w.action_item.pk]),
        lambda w, ids: {"done": s.field("0", "1", ids=ids)},
    ),
    "mentoring:cohort_suggest": Spec(
        "staff", lambda w: reverse("mentoring:cohort_suggest", args=[w.cohort.pk])
    ),
    "mentoring:cohort_weights": Spec(
        "staff",
        lambda w: reverse("mentoring:cohort_weights", args=[w.cohort.pk]),
        lambda w, ids: {
            name: s.field("0", "5", "20", "21", ids=ids)
            for name in ["need", "sector", "city", "province", "language", "mode"]
        },
    ),
    "mentoring:cohort_confirm": Spec(
        "staff", lambda w: reverse("mentoring:cohort_confirm", args=[w.cohort.pk])
    ),
    "mentoring:proposal_add": Spec(
        "staff",
        lambda w: reverse("mentoring:proposal_add", args=[w.cohort.pk]),
        lambda w, ids: {
            "mentor": s.field(str(w.pairing.mentor_id), str(w.other_mentor.pk), ids=ids),
            "learner": s.field(str(w.learner.pk), str(w.other_learner.pk), ids=ids),
        },
    ),
    "mentoring:proposal_change": Spec(
        "staff",
        # The page's single change form names the pairing in the body (URL id 0).
        lambda w: reverse("mentoring:proposal_change", args=[w.cohort.pk, 0]),
        lambda w, ids: {
            "pairing": s.field(str(w.pairing.pk), str(w.foreign_pairing.pk), ids=ids),
            "remove": s.field("1", "0", ids=ids),
            "mentor": s.field(str(w.pairing.mentor_id), ids=ids),
        },
    ),
    "mentoring:pairing_reassign": Spec(
        "staff",
        lambda w: reverse("mentoring:pairing_reassign", args=[w.cohort.pk, 0]),
        lambda w, ids: {
            "pairing": s.field(str(w.pairing.pk), str(w.foreign_pairing.pk), ids=ids),
            "mentor": s.field(str(w.pairing.mentor_id), str(w.other_mentor.pk), ids=ids),
        },
    ),
    "mentoring:cohort_add_mentor": Spec(
        "staff",
        lambda w: reverse("mentoring:cohort_add_mentor", args=[w.cohort.pk]),
        lambda w, ids: {"phone": s.field(w.other_mentor.phone, *PHONE_GOOD, ids=ids)},
    ),
    # --- outcomes --------------------------------------------------------------------
    "outcomes:survey_fill": Spec(
        "learner",
        lambda w: reverse("outcomes:survey_fill", args=[w.cohort.pk, "baseline"]),
        survey_fields,
        files=survey_files,
    ),
    "outcomes:survey_skip": Spec(
        "learner",
        lambda w: reverse("outcomes:survey_skip", args=[w.cohort.pk]),
        lambda w, ids: {"next": s.field("/courses/", "//evil.example", ids=ids)},
    ),
    # --- notifications ---------------------------------------------------------------
    "notifications:mark_all_read": Spec(
        "learner", lambda w: reverse("notifications:mark_all_read")
    ),
    "notifications:preferences": Spec(
        "learner",
        lambda w: reverse("notifications:preferences"),
        lambda w, ids: {
            "whatsapp": s.field("on", ids=ids),
            "email": s.field("on", ids=ids),
            "quiet_start": s.field("21:00", "00:00", ids=ids),
            "quiet_end": s.field("07:00", "21:00", ids=ids),
        },
    ),
    "notifications:cohort_rules": Spec(
        "staff",
        lambda w: reverse("notifications:cohort_rules", args=[w.cohort.pk]),
        rule_fields,
    ),
    # --- people ----------------------------------------------------------------------
    "business_profile": Spec(
        "learner",
        lambda w: reverse("business_profile"),
        lambda w, ids: {
            "business_name": s.field("Warung Siti", ids=ids),
            "sector": s.field(*Sector.values, ids=ids),
            "city": s.field("Bandung", ids=ids),
            "province": s.field("jabar", ids=ids),
            "year_started": s.field("2018", "1899", "2999", ids=ids),
            "workers": s.field("2", "0", "10001", ids=ids),
        },
    ),
    "account_settings": Spec(
        "learner",
        lambda w: reverse("account_settings"),
        lambda w, ids: {
            "name": s.field("Siti Aminah", ids=ids),
            "timezone": s.field(*TimeZone.values, ids=ids),
            "data_saver": s.field("on", ids=ids),
        },
    ),
    "language_switch": Spec(
        "learner",
        lambda w: reverse("language_switch"),
        lambda w, ids: {
            "language": s.field("id", "en", "xx", ids=ids),
            "next": s.field("/courses/", "https://evil.example/", ids=ids),
        },
    ),
    "invite_person": Spec(
        "staff",
        lambda w: reverse("invite_person"),
        lambda w, ids: {
            "name": s.field("Orang Baru", ids=ids),
            "phone": s.field(w.learner.phone, *PHONE_GOOD, ids=ids),
            "role": s.field("learner", "mentor", "staff", ids=ids),
            "send_message": s.field("on", ids=ids),
        },
    ),
    "invitation_accept": Spec(
        "anonymous",
        lambda w: reverse("invitation_accept"),
        lambda w, ids: {
            "password1": s.field(*PASSWORDS, ids=ids),
            "password2": s.field(*PASSWORDS, ids=ids),
            "consent": s.field("on", ids=ids),
        },
        setup=make_invitation,
        before=invitation_opened,
    ),
    "phone_reset_request": Spec(
        "anonymous",
        lambda w: reverse("phone_reset_request"),
        lambda w, ids: {"phone": s.field(w.learner.phone, *PHONE_GOOD, ids=ids)},
    ),
    "phone_reset_confirm": Spec(
        "anonymous",
        lambda w: reverse("phone_reset_confirm"),
        lambda w, ids: {
            "code": s.field("000000", "12345", ids=ids),
            "password1": s.field(*PASSWORDS, ids=ids),
            "password2": s.field(*PASSWORDS, ids=ids),
        },
        before=phone_reset_started,
    ),
    # --- privacy ---------------------------------------------------------------------
    "privacy:export_request": Spec("learner", lambda w: reverse("privacy:export_request")),
    "privacy:consent_withdraw": Spec("learner", lambda w: reverse("privacy:consent_withdraw")),
    "privacy:account_delete": Spec(
        "learner",
        lambda w: reverse("privacy:account_delete"),
        lambda w, ids: {
            "password": s.field(PASSWORD, ids=ids),
            "confirm": s.field("HAPUS", "hapus ", ids=ids),
        },
    ),
    # --- allauth: sign-in, sign-up, passwords, phone, e-mail, two-factor -------------
    "account_login": Spec(
        "anonymous",
        lambda w: reverse("account_login"),
        lambda w, ids: {
            "login": s.field(w.learner.phone, "0813 0000 0001", "x@example.com", ids=ids),
            "password": s.field(PASSWORD, ids=ids),
            "remember": s.field("on", ids=ids),
            "next": s.field("/courses/", "//evil.example", ids=ids),
        },
    ),
    "account_logout": Spec(
        "learner",
        lambda w: reverse("account_logout"),
        lambda w, ids: {"next": s.field("/courses/", "https://evil.example", ids=ids)},
    ),
    "account_signup": Spec(
        "anonymous",
        lambda w: reverse("account_signup"),
        lambda w, ids: {
            "name": s.field("Orang Baru", ids=ids),
            "phone": s.field(w.learner.phone, *PHONE_GOOD, ids=ids),
            "email": s.field("baru@example.com", "BARU@EXAMPLE.COM", ids=ids),
            "password1": s.field(*PASSWORDS, ids=ids),
            "password2": s.field(*PASSWORDS, ids=ids),
            "timezone": s.field(*TimeZone.values, ids=ids),
            "consent": s.field("on", ids=ids),
        },
    ),
    "account_reauthenticate": Spec(
        "learner",
        lambda w: reverse("account_reauthenticate"),
        lambda w, ids: {"password": s.field(PASSWORD, ids=ids)},
    ),
    "account_email": Spec(
        "learner",
        lambda w: reverse("account_email"),
        lambda w, ids: {
            "email": s.field("siti@example.com", "lain@example.com", ids=ids),
            "action_add": s.field("1", ids=ids),
            "action_remove": s.field("1", ids=ids),
            "action_primary": s.field("1", ids=ids),
            "action_send": s.field("1", ids=ids),
        },
        setup=with_email,
    ),
    "account_change_password": Spec(
        "learner",
        lambda w: reverse("account_change_password"),
        lambda w, ids: {
            "oldpassword": s.field(PASSWORD, ids=ids),
            "password1": s.field(*PASSWORDS, ids=ids),
            "password2": s.field(*PASSWORDS, ids=ids),
        },
    ),
    "account_set_password": Spec(
        "passwordless",
        lambda w: reverse("account_set_password"),
        lambda w, ids: {
            "password1": s.field(*PASSWORDS, ids=ids),
            "password2": s.field(*PASSWORDS, ids=ids),
        },
    ),
    "account_reset_password": Spec(
        "anonymous",
        lambda w: reverse("account_reset_password"),
        lambda w, ids: {"email": s.field("siti@example.com", "nobody@example.com", ids=ids)},
        setup=with_email,
    ),
    "account_confirm_password_reset_code": Spec(
        "anonymous",
        lambda w: reverse("account_confirm_password_reset_code"),
        lambda w, ids: {"code": s.field("ABCDEF", ids=ids)},
        setup=with_email,
        before=start_reset_by_code,
    ),
    "account_complete_password_reset": Spec(
        "anonymous",
        lambda w: reverse("account_complete_password_reset"),
        lambda w, ids: {
            "password1": s.field(*PASSWORDS, ids=ids),
            "password2": s.field(*PASSWORDS, ids=ids),
        },
        setup=with_email,
        before=reset_code_entered,
    ),
    "account_confirm_login_code": Spec(
        "anonymous",
        lambda w: reverse("account_confirm_login_code"),
        lambda w, ids: {"code": s.field("ABCDEF", ids=ids)},
        reaches=(302,),  # signing in by code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED)
    ),
    "account_confirm_email": Spec(
        "learner",
        lambda w: reverse("account_confirm_email", args=["not-a-real-key"]),
    ),
    "account_verify_phone": Spec(
        "learner",
        lambda w: reverse("account_verify_phone"),
        lambda w, ids: {
            "code": s.field("123456", ids=ids),
            "action": s.field("verify", "resend", ids=ids),
        },
        before=phone_change_started,
    ),
    "account_change_phone": Spec(
        "learner",
        lambda w: reverse("account_change_phone"),
        lambda w, ids: {"phone": s.field(w.other_learner.phone, *PHONE_GOOD, ids=ids)},
        before=lambda client, w, ctx: reauthenticate(client),
    ),
    "mfa_activate_totp": Spec(
        "learner",
        lambda w: reverse("mfa_activate_totp"),
        lambda w, ids: {"code": s.field("123456", ids=ids)},
        before=totp_activation_open,
    ),
    "mfa_authenticate": Spec(
        "anonymous",
        lambda w: reverse("mfa_authenticate"),
        lambda w, ids: {"code": s.field("123456", ids=ids)},
        setup=learner_with_totp,
        before=login_until_second_factor,
    ),
    "mfa_reauthenticate": Spec(
        "learner",
        lambda w: reverse("mfa_reauthenticate"),
        lambda w, ids: {"code": s.field("123456", ids=ids)},
        setup=learner_with_totp,
    ),
    "mfa_deactivate_totp": Spec(
        "learner",
        lambda w: reverse("mfa_deactivate_totp"),
        setup=learner_with_totp,
        before=lambda client, w, ctx: reauthenticate(client),
    ),
    "mfa_generate_recovery_codes": Spec(
        "learner",
        lambda w: reverse("mfa_generate_recovery_codes"),
        setup=learner_with_totp,
        before=lambda client, w, ctx: reauthenticate(client),
    ),
    "usersessions_list": Spec(
        "learner",
        lambda w: reverse("usersessions_list"),
        lambda w, ids: {"action": s.field("logout", ids=ids)},
    ),
}

# Pages that only show something (a POST there is answered 405 or treated like a GET).
GET_ONLY = {
    "home",
    "privacy",
    "service_worker",
    "web_manifest",
    "offline",
    "privacy:my_data",
    "privacy:export_download",
    "privacy:audit_log",
    "invitation_open",
    "account_inactive",
    "account_email_verification_sent",
    "account_password_reset_completed",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "courses:course_list",
    "courses:course_detail",
    "courses:continue",
    "courses:module_pack",
    "courses:lesson_detail",
    "courses:lesson_media",
    "courses:attempt_detail",
    "courses:submission_detail",
    "courses:task_photo",
    "courses:picture_file",
    "courses:certificate_verify",
    "courses:certificate_download",
    "courses:review_queue",
    "cohorts:cohort_list",
    "cohorts:cohort_detail",
    "cohorts:cohort_learners",
    "cohorts:cohort_at_risk",
    "cohorts:cohort_invitations",
    "cohorts:session_detail",
    "cohorts:export_roster",
    "cohorts:export_attendance",
    "mentoring:mentor_home",
    "mentoring:mentee_detail",
    "mentoring:review_queue",
    "mentoring:learner_mentoring",
    "mentoring:cohort_mentoring",
    "mentoring:cohort_mentoring_export",
    "notifications:list",
    "outcomes:survey_list",
    "outcomes:evidence_file",
    "outcomes:report",
    "outcomes:report_export",
}
