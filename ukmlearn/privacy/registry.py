"""Every model that holds personal data, and what export and erasure do with it (UU PDP).

One entry per model *and* per way a row belongs to a person (a practice task belongs to the
learner who sent it and, differently, to the mentor who reviewed it). ``tests/privacy``
fails when a model linked to a user, or with a field that looks personal, is missing here.

Erasure keeps what the outcome report needs as anonymous aggregates (the anonymised user row
with gender, birth year, province and sector; progress; indicator columns of survey
responses) and removes everything that names, reaches or describes the person.
"""

from dataclasses import dataclass, field

DELETE = "delete"  # the rows go (with their files)
BLANK = "blank"  # the listed fields are emptied (files deleted), the row stays
KEEP = "keep"  # nothing personal is left once the user row is anonymised
CUSTOM = "custom"  # handled by name in services.account_erase


@dataclass(frozen=True)
class Entry:
    model: str  # "app_label.ModelName"
    path: str  # ORM path from the model to the person ("enrollment__user")
    erase: str
    why: str
    blank: dict = field(default_factory=dict)  # for BLANK: field -> empty value
    # Fields never put into the person's own download: secrets, or what the person must not
    # see (a mentor's private notes about them).
    not_exported: tuple[str, ...] = ()
    # Rows that hang below this one belong to the same person (an enrolment's progress).
    owns_children: bool = False


REGISTRY: list[Entry] = [
    # --- accounts
    Entry(
        "users.User",
        "pk",
        CUSTOM,
        "name, phone, e-mail and password go; gender, birth year and the row stay for the "
        "anonymous reach figures",
        not_exported=("password",),
        owns_children=True,
    ),
    Entry(
        "users.BusinessProfile",
        "user",
        BLANK,
        "business name, city and figures go; sector and province stay for aggregates",
        blank={"business_name": "", "city": "", "year_started": None, "workers": None},
    ),
    Entry("users.Consent", "user", KEEP, "the record of what was agreed and withdrawn"),
    Entry(
        "users.Invitation",
        "user",
        DELETE,
        "an invitation is useless once erased",
        not_exported=("token_hash",),
    ),
    Entry(
        "users.Invitation",
        "created_by",
        KEEP,
        "who invited whom, by id only",
        not_exported=("token_hash",),
    ),
    Entry("account.EmailAddress", "user", DELETE, "e-mail addresses and their verification"),
    Entry(
        "usersessions.UserSession",
        "user",
        CUSTOM,
        "every session ends",
        not_exported=("session_key",),
    ),
    Entry("admin.LogEntry", "user", KEEP, "staff's own admin history, by id"),
    # --- notifications
    Entry("notifications.NotificationPreference", "user", DELETE, "no more messages"),
    Entry("notifications.Reminder", "user", DELETE, "no more reminders (pending ones too)"),
    Entry("notifications.Notification", "user", DELETE, "in-app messages"),
    # --- courses
    Entry(
        "courses.Enrollment",
        "user",
        KEEP,
        "progress figures for the cohort reports",
        owns_children=True,
    ),
    Entry("courses.LessonProgress", "enrollment__user", KEEP, "dates only"),
    Entry("courses.QuizAttempt", "enrollment__user", KEEP, "scores and chosen options only"),
    Entry(
        "courses.TaskSubmission",
        "enrollment__user",
        BLANK,
        "what the learner wrote about their business and the feedback on it go",
        blank={"text": "", "link": "", "feedback": ""},
        owns_children=True,
    ),
    # A reviewer's download has their own feedback, not the learner's answer.
    Entry(
        "courses.TaskSubmission",
        "reviewed_by",
        KEEP,
        "who reviewed, by id",
        not_exported=("text", "link"),
    ),
    Entry("courses.TaskPhoto", "submission__enrollment__user", DELETE, "photos of the business"),
    Entry(
        "courses.Certificate",
        "enrollment__user",
        CUSTOM,
        "marked erased (still counted as earned in reports), the name emptied and the "
        "PNG/PDF deleted; the number stays unique",
    ),
    # --- cohorts
    Entry("cohorts.Cohort", "owner", KEEP, "the cohort belongs to the programme"),
    Entry("cohorts.Membership", "user", KEEP, "counts for the cohort's reports"),
    Entry("cohorts.Attendance", "user", KEEP, "counts for attendance figures"),
    Entry("cohorts.Attendance", "recorded_by", KEEP, "who recorded it, by id"),
    Entry("cohorts.ImportRun", "imported_by", KEEP, "who imported, by id"),
    # --- mentoring
    Entry("mentoring.MentorProfile", "user", DELETE, "a mentor's regions and skills"),
    Entry("mentoring.LearnerNeeds", "user", DELETE, "what the learner wanted help with"),
    Entry(
        "mentoring.Pairing",
        "learner",
        BLANK,
        "the pairing's reasons quote the learner's city and needs; an active pairing ends",
        blank={"reasons": []},
        owns_children=True,
    ),
    Entry("mentoring.Pairing", "mentor", KEEP, "caseload figures, by id"),
    Entry("mentoring.Pairing", "created_by", KEEP, "who paired, by id"),
    Entry(
        "mentoring.MentoringSession",
        "pairing__learner",
        BLANK,
        "what was discussed about the learner's business goes; date and length stay",
        blank={"summary": "", "private_notes": "", "rating_comment": ""},
        not_exported=("private_notes",),
        owns_children=True,
    ),
    Entry(
        "mentoring.MentoringSession",
        "pairing__mentor",
        KEEP,
        "the mentor's sessions stay with the learner's programme",
    ),
    Entry("mentoring.MentoringSession", "logged_by", KEEP, "who logged it, by id"),
    Entry(
        "mentoring.SessionEdit",
        "session__pairing__learner",
        KEEP,
        "which fields changed and when, no text",
    ),
    Entry("mentoring.SessionEdit", "edited_by", KEEP, "who edited, by id"),
    Entry(
        "mentoring.ActionItem",
        "session__pairing__learner",
        BLANK,
        "the agreed action describes the business",
        blank={"text": ""},
    ),
    # --- outcomes
    Entry("outcomes.Partner", "members", CUSTOM, "the person leaves the partner's readers"),
    Entry(
        "outcomes.Response",
        "user",
        BLANK,
        "raw answers go; the indicator columns stay for the anonymous before/after report",
        blank={"answers": {}},
        owns_children=True,
    ),
    Entry("outcomes.Evidence", "response__user", DELETE, "photos of the business"),
    # --- privacy
    Entry("privacy.AuditEvent", "actor", KEEP, "the audit trail must outlive the account"),
    # The rows only: an export does not carry the earlier export files inside it.
    Entry(
        "privacy.DataExport",
        "user",
        DELETE,
        "earlier downloads of the person's data",
        not_exported=("file",),
    ),
    Entry(
        "mfa.Authenticator",
        "user",
        DELETE,
        "two-factor secrets and recovery codes",
        not_exported=("data",),
    ),
]

# Models that have fields which look personal but are not about a person, with the reason.
NOT_PERSONAL = {
    "cohorts.LiveSession": "a venue's address and a meeting link, not a person's",
    "cohorts.Cohort": "the cohort's own city and name",
    "courses.Picture": "course illustrations uploaded by staff",
    "courses.Lesson": "course content",
    "courses.Course": "course content",
    "courses.Question": "course content (a quiz question)",
    "courses.Option": "course content (a quiz answer)",
    "outcomes.Question": "a survey question, the same for everyone",
    "mentoring.PairingWeights": "how much a matching city counts, a number",
    "courses.CertificateTemplate": "the programme signatory, published on every certificate",
    "outcomes.Partner": "an organisation",
    "mentoring.ExpertiseTag": "a skill's name",
    "auth.Group": "a permission group",
    "auth.Permission": "a permission",
    "contenttypes.ContentType": "a model's name",
    "sites.Site": "the site's domain",
}


def entries_for(label: str) -> list[Entry]:
    return [entry for entry in REGISTRY if entry.model == label]
