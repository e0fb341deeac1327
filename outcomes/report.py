"""The outcome report: reach, completion, and the change in digital adoption between the
baseline and endline of the same people, aggregated in SQL and suppressed for small groups.

Every number leaves here as a Cell. Any count of people from 1 to 4 becomes "< 5", and so
does a second cell of the same distribution when only one would otherwise be hidden (its
size could be worked out from the total). Nothing personal ever enters a Report: no names,
phones, free text or ids of people.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Membership
from courses.models import Enrollment
from ukmlearn.users.choices import Gender, Province, Sector

from . import instrument
from .models import Response, Wave

MIN_GROUP = 5

AGE_BANDS = (
    ("lt25", _("Under 25"), 0, 24),
    ("25-34", _("25–34"), 25, 34),
    ("35-44", _("35–44"), 35, 44),
    ("45-54", _("45–54"), 45, 54),
    ("55+", _("55 and over"), 55, 200),
)
UNKNOWN = "unknown"


@dataclass
class Cell:
    count: int | None  # None: suppressed
    percent: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.count is None

    def __str__(self):
        return "< 5" if self.count is None else str(self.count)


def suppress(counts: list[int]) -> list[int | None]:
    """Primary suppression (1–4 people) plus one complementary cell when a single cell
    would be hidden, so that no hidden cell can be recovered from the total."""
    shown = [None if 0 < c < MIN_GROUP else c for c in counts]
    hidden = [i for i, c in enumerate(shown) if c is None]
    if len(hidden) == 1:
        candidates = [(c, i) for i, c in enumerate(shown) if c]
        if candidates:
            shown[min(candidates)[1]] = None
    return shown


def cells(counts: list[int], total: int | None) -> list[Cell]:
    """Cells of one distribution, with percentages of total when total may be shown."""
    result = []
    for count in suppress(counts):
        percent = None
        if count is not None and total and total >= MIN_GROUP:
            percent = round(100 * count / total)
        result.append(Cell(count, percent))
    return result


def total_cell(total: int) -> Cell:
    return Cell(None if 0 < total < MIN_GROUP else total)


# --- Scope ------------------------------------------------------------------------------


@dataclass
class Scope:
    """Which cohorts and which learners the report covers."""

    cohorts: object  # a Cohort queryset (already limited to what the reader may see)
    gender: str = ""
    province: str = ""
    sector: str = ""

    def people_q(self, prefix: str) -> Q:
        """Filter on the learner (reached through `prefix`, e.g. "user__")."""
        q = Q()
        if self.gender:
            q &= Q(**{f"{prefix}gender": self.gender})
        if self.province:
            q &= Q(**{f"{prefix}business_profile__province": self.province})
        if self.sector:
            q &= Q(**{f"{prefix}business_profile__sector": self.sector})
        return q


def scope_from_filters(cohorts, data: dict) -> Scope:
    """Apply the report filter form's cleaned data to the reader's cohorts."""
    if data.get("partner"):
        cohorts = cohorts.filter(partners=data["partner"])
    if data.get("programme"):
        cohorts = cohorts.filter(programme=data["programme"])
    if data.get("cohort"):
        cohorts = cohorts.filter(pk=data["cohort"])
    if data.get("start_from"):
        cohorts = cohorts.filter(start_date__gte=data["start_from"])
    if data.get("start_to"):
        cohorts = cohorts.filter(start_date__lte=data["start_to"])
    return Scope(
        cohorts=cohorts,
        gender=data.get("gender") or "",
        province=data.get("province") or "",
        sector=data.get("sector") or "",
    )


# --- Report --------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    cells: list[Cell]
    change: int | None = None  # percentage points, after minus before
    stage: str = ""
    key: str = ""

    @property
    def stage_label(self):
        return instrument.STAGES.get(self.stage, "")


@dataclass
class Report:
    participants: Cell
    reach: dict = field(default_factory=dict)  # dimension label -> list[Row]
    funnel: list[Row] = field(default_factory=list)
    responses: list[Row] = field(default_factory=list)  # per wave: sent
    paired: Cell = field(default_factory=lambda: Cell(0))
    indicators: list[Row] = field(default_factory=list)  # cells: before, after
    ladder: list[Row] = field(default_factory=list)  # cells: before, after
    bands: dict = field(default_factory=dict)  # band key -> list[Row] (before, after)
    shifts: list[Row] = field(default_factory=list)  # revenue / ladder: up, same, down
    followup_n: Cell = field(default_factory=lambda: Cell(0))
    followup: list[Row] = field(default_factory=list)  # cells: baseline, endline, follow-up
    retention: Row | None = None
    per_cohort: list[Row] = field(default_factory=list)


def build(scope: Scope, *, today: date | None = None) -> Report:
    today = today or timezone.localdate()
    cohort_ids = scope.cohorts.values("pk")
    participants, reach = _reach(scope, cohort_ids, today)
    report = Report(participants=participants, reach=reach)
    report.funnel = _funnel(scope, cohort_ids, participants)
    sent = Response.objects.filter(cohort__in=cohort_ids, status=Response.Status.SUBMITTED).filter(
        scope.people_q("user__")
    )
    report.responses, report.per_cohort = _response_counts(scope, sent)
    _paired(report, sent)
    _followup(report, sent)
    return report


def _age_band(year: int):
    whens = [When(user__birth_year__isnull=True, then=Value(UNKNOWN))]
    for key, _label, low, high in AGE_BANDS:
        whens.append(
            When(
                user__birth_year__gte=year - high, user__birth_year__lte=year - low, then=Value(key)
            )
        )
    return Case(*whens, default=Value(UNKNOWN))


def _reach(scope: Scope, cohort_ids, today) -> tuple[Cell, dict]:
    """Participants (distinct people who joined as learners) by gender, age band, province
    and sector: one grouped query, summed per dimension here."""
    groups = (
        Membership.objects.filter(cohort__in=cohort_ids, role=Membership.Role.LEARNER)
        .filter(scope.people_q("user__"))
        .annotate(age=_age_band(today.year))
        .values(
            "user__gender",
            "age",
            "user__business_profile__province",
            "user__business_profile__sector",
        )
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    totals = {"gender": {}, "age": {}, "province": {}, "sector": {}}
    total = 0
    for g in groups:
        total += g["n"]
        for dim, value in (
            ("gender", g["user__gender"]),
            ("age", g["age"]),
            ("province", g["user__business_profile__province"]),
            ("sector", g["user__business_profile__sector"]),
        ):
            key = value or UNKNOWN
            totals[dim][key] = totals[dim].get(key, 0) + g["n"]
    labels = {
        "gender": list(Gender.choices),
        "age": [(k, label) for k, label, _lo, _hi in AGE_BANDS],
        "province": list(Province.choices),
        "sector": list(Sector.choices),
    }
    titles = {
        "gender": _("Gender"),
        "age": _("Age"),
        "province": _("Province"),
        "sector": _("Sector"),
    }
    reach = {}
    for dim, options in labels.items():
        present = [(k, label) for k, label in options if totals[dim].get(k)]
        if totals[dim].get(UNKNOWN):
            present.append((UNKNOWN, _("Not known")))
        counts = [totals[dim][k] for k, _label in present]
        reach[titles[dim]] = [
            Row(str(label), [cell], key=k)
            for (k, label), cell in zip(present, cells(counts, total), strict=True)
        ]
    return total_cell(total), reach


def _funnel_totals(per_learner) -> dict:
    """The funnel's counts over the per-learner rows. Completed and certified compare a
    learner's counts with the number of courses of their cohort: that count is joined in
    once per cohort here (the ORM can only attach it to every enrolment row, as a join that
    repeats each row per course or a subquery run per row: 2-3 s against 0.6 s for 200
    cohorts of 500 in bench/scale.py)."""
    sql, params = per_learner.query.sql_with_params()
    quote = connection.ops.quote_name
    courses = Cohort.courses.through._meta
    cohort_column = quote(courses.get_field("cohort").column)

    def count_where(condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    done, certified, needed = quote("n_done"), quote("n_certified"), "needed.n"
    query = (
        f"SELECT COUNT(*), {count_where(quote('last_active') + ' IS NOT NULL')}, "  # noqa: S608
        f"{count_where(quote('lowest') + ' >= 50')}, {count_where(f'{done} >= {needed}')}, "
        f"{count_where(f'{certified} >= {needed}')} "
        f"FROM ({sql}) learner INNER JOIN (SELECT {cohort_column} AS cohort_id, COUNT(*) AS n "
        f"FROM {quote(courses.db_table)} GROUP BY {cohort_column}) needed "
        f"ON needed.cohort_id = learner.{quote('cohort')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    keys = ("enrolled", "started", "halfway", "completed", "certified")
    return dict(zip(keys, row, strict=True))


def _funnel(scope: Scope, cohort_ids, participants: Cell) -> list[Row]:
    """Enrolled → started → halfway → completed → certified, per learner and cohort, for all
    cohorts in scope in one aggregate query."""
    per_learner = (
        Enrollment.objects.filter(
            user__cohort_memberships__cohort__in=cohort_ids,
            user__cohort_memberships__role=Membership.Role.LEARNER,
            course__cohorts=F("user__cohort_memberships__cohort"),
        )
        .filter(scope.people_q("user__"))
        .annotate(cohort=F("user__cohort_memberships__cohort"))
        .values("user_id", "cohort")
        .annotate(
            last_active=Max("last_activity_at"),
            lowest=Min("progress_percent"),
            # One row per enrolment and cohort (a membership and a cohort course are each
            # unique): plain counts.
            n_done=Count("id", filter=Q(completed_at__isnull=False)),
            # An erased holder's certificate was earned all the same.
            n_certified=Count("id", filter=Q(certificate__status__in=["issued", "erased"])),
        )
        .order_by()
    )
    totals = _funnel_totals(per_learner)
    labels = {
        "enrolled": _("Enrolled"),
        "started": _("Started"),
        "halfway": _("Halfway"),
        "completed": _("Completed"),
        "certified": _("Certified"),
    }
    enrolled = totals["enrolled"] or 0
    counts = [totals[k] or 0 for k in labels]
    # Each step is its own group of people: suppressed one by one (no complement needed,
    # the steps are nested, not parts of one total).
    rows = []
    for key, count in zip(labels, counts, strict=True):
        cell = total_cell(count)
        if cell.count is not None and enrolled >= MIN_GROUP:
            cell.percent = round(100 * count / enrolled)
        rows.append(Row(str(labels[key]), [cell], key=key))
    return rows


def _response_counts(scope: Scope, sent) -> tuple[list[Row], list[Row]]:
    by_wave = dict(sent.values_list("wave").annotate(n=Count("id")).order_by())
    waves = [
        Row(str(label), [total_cell(by_wave.get(wave, 0))], key=wave)
        for wave, label in Wave.choices
    ]
    per = {}
    for cohort_id, wave, n in (
        sent.values_list("cohort_id", "wave").annotate(n=Count("id")).order_by()
    ):
        per.setdefault(cohort_id, {})[wave] = n
    paired = dict(
        _paired_qs(sent)
        .filter(wave=Wave.ENDLINE)
        .values_list("cohort_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    members = dict(
        Membership.objects.filter(
            cohort__in=scope.cohorts.values("pk"), role=Membership.Role.LEARNER
        )
        .filter(scope.people_q("user__"))
        .values_list("cohort_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    cohorts = list(scope.cohorts.order_by("-start_date", "name").only("pk", "name", "start_date"))
    columns = [
        [members.get(c.pk, 0) for c in cohorts],
        [per.get(c.pk, {}).get(Wave.BASELINE, 0) for c in cohorts],
        [per.get(c.pk, {}).get(Wave.ENDLINE, 0) for c in cohorts],
        [paired.get(c.pk, 0) for c in cohorts],
    ]
    # Each column is a distribution whose total is shown elsewhere in the report: a single
    # hidden cohort would be recoverable, so the complementary rule applies down the column.
    shown = [suppress(column) for column in columns]
    rows = [
        Row(cohort.name, [Cell(column[i]) for column in shown], key=str(cohort.pk))
        for i, cohort in enumerate(cohorts)
    ]
    return waves, rows


def _sent_in(sent, wave: str):
    return sent.model.objects.filter(
        user=OuterRef("user"),
        cohort=OuterRef("cohort"),
        wave=wave,
        status=Response.Status.SUBMITTED,
    )


def _paired_qs(sent):
    """Baseline and endline responses of the people (per cohort) who sent both: one EXISTS
    on the same person's other wave (an OR of two EXISTS cannot become a join)."""
    both = [Wave.BASELINE, Wave.ENDLINE]
    other_wave = Response.objects.filter(
        user=OuterRef("user"),
        cohort=OuterRef("cohort"),
        status=Response.Status.SUBMITTED,
        wave__in=both,
    ).exclude(wave=OuterRef("wave"))
    return sent.filter(Exists(other_wave), wave__in=both)


def _wave_aggregates() -> dict:
    aggregates = {"n": Count("id")}
    for key in instrument.INDICATOR_KEYS:
        aggregates[f"{key}__yes"] = Count("id", filter=Q(**{key: True}))
        aggregates[f"{key}__answered"] = Count("id", filter=Q(**{f"{key}__isnull": False}))
    for level, _label in instrument.LADDER:
        aggregates[f"ladder__{level}"] = Count("id", filter=Q(ladder=level))
    for band in instrument.BANDS:
        for index, _code in enumerate(instrument.band_codes(band)):
            aggregates[f"{band}__{index}"] = Count("id", filter=Q(**{f"{band}_band": index}))
    return aggregates


def _by_wave(qs) -> dict:
    return {row["wave"]: row for row in qs.values("wave").annotate(**_wave_aggregates()).order_by()}


def _indicator_rows(waves: list[dict]) -> list[Row]:
    rows = []
    for indicator in instrument.INDICATORS:
        row_cells = []
        for data in waves:
            answered = data.get(f"{indicator.key}__answered", 0)
            yes = data.get(f"{indicator.key}__yes", 0)
            row_cells.append(
                cells([yes, answered - yes], answered)[0] if answered >= MIN_GROUP else Cell(None)
            )
        change = None
        first, last = row_cells[0], row_cells[-1]
        if len(row_cells) >= 2 and first.percent is not None and last.percent is not None:
            change = last.percent - first.percent
        rows.append(Row(str(indicator.label), row_cells, change, indicator.stage, indicator.key))
    return rows


def _distribution_rows(waves: list[dict], prefix: str, options) -> list[Row]:
    per_wave = []
    for data in waves:
        counts = [data.get(f"{prefix}__{key}", 0) for key, _label in options]
        per_wave.append(cells(counts, sum(counts)))
    return [
        Row(str(label), [column[i] for column in per_wave], key=str(key))
        for i, (key, label) in enumerate(options)
    ]


def _per_person(sent, waves: list[str], fields: list[str]):
    """One group per person and cohort who sent every one of `waves`, carrying each field's
    value at each wave as "<field>_<wave>": a pair (or triple) becomes one row, with no
    subquery per row."""
    at_wave = {
        f"{column}_{wave}": Max(column, filter=Q(wave=wave)) for column in fields for wave in waves
    }
    return (
        sent.filter(wave__in=waves)
        .values("user_id", "cohort_id")
        .annotate(n_waves=Count("id"), **at_wave)
        .filter(n_waves=len(waves))
        .order_by()
    )


def _paired(report: Report, sent) -> None:
    waves = _by_wave(_paired_qs(sent))
    before = waves.get(Wave.BASELINE, {})
    after = waves.get(Wave.ENDLINE, {})
    n = after.get("n", 0)
    report.paired = total_cell(n)
    if n < MIN_GROUP:
        return
    report.indicators = _indicator_rows([before, after])
    report.ladder = _distribution_rows([before, after], "ladder", instrument.LADDER)
    for band in instrument.BANDS:
        question = instrument.CORE[band]
        options = [
            (i, label)
            for i, (code, label) in enumerate(
                (c, lbl) for c, lbl in question.choices if c not in question.unbanded
            )
        ]
        report.bands[band] = _distribution_rows([before, after], band, options)
    # Moves between bands, per person: the two rows of each pair folded into one group.
    pairs = _per_person(sent, [Wave.BASELINE, Wave.ENDLINE], ["revenue_band", "ladder"])
    moves = {}
    for key, column in (("revenue", "revenue_band"), ("ladder", "ladder")):
        was, now = F(f"{column}_{Wave.BASELINE}"), f"{column}_{Wave.ENDLINE}"
        moves[f"{key}_up"] = Count("user_id", filter=Q(**{f"{now}__gt": was}))
        moves[f"{key}_same"] = Count("user_id", filter=Q(**{now: was}))
        moves[f"{key}_down"] = Count("user_id", filter=Q(**{f"{now}__lt": was}))
    moves = pairs.aggregate(**moves)
    for key, label in (("ladder", _("Adoption ladder")), ("revenue", _("Monthly sales band"))):
        counts = [moves[f"{key}_up"], moves[f"{key}_same"], moves[f"{key}_down"]]
        report.shifts.append(Row(str(label), cells(counts, sum(counts)), key=key))


def _followup(report: Report, sent) -> None:
    """Did the change last? People who sent all three waves: their indicators at each, and
    how many of those who climbed the ladder by the endline were still as high later."""
    triples = sent.filter(
        Exists(_sent_in(sent, Wave.BASELINE)),
        Exists(_sent_in(sent, Wave.ENDLINE)),
        Exists(_sent_in(sent, Wave.FOLLOWUP)),
    )
    waves = _by_wave(triples)
    n = waves.get(Wave.FOLLOWUP, {}).get("n", 0)
    report.followup_n = total_cell(n)
    if n < MIN_GROUP:
        return
    ordered = [waves.get(w, {}) for w in (Wave.BASELINE, Wave.ENDLINE, Wave.FOLLOWUP)]
    report.followup = _indicator_rows(ordered)

    base, end, later = (f"ladder_{w}" for w in (Wave.BASELINE, Wave.ENDLINE, Wave.FOLLOWUP))
    kept = _per_person(sent, [Wave.BASELINE, Wave.ENDLINE, Wave.FOLLOWUP], ["ladder"]).aggregate(
        climbed=Count("user_id", filter=Q(**{f"{end}__gt": F(base)})),
        kept=Count("user_id", filter=Q(**{f"{end}__gt": F(base), f"{later}__gte": F(end)})),
    )
    climbed, still = kept["climbed"], kept["kept"]
    report.retention = Row(
        str(_("Climbed the ladder by the endline, still as high at follow-up")),
        cells([still, climbed - still], climbed) if climbed >= MIN_GROUP else [Cell(None)],
    )


def _fmt(cell: Cell) -> str:
    if cell.count is None:
        return "< 5"
    return f"{cell.count} ({cell.percent}%)" if cell.percent is not None else str(cell.count)


def export_rows(report: Report):
    """The report's aggregates as rows for CSV/XLSX: section, item, up to three values and
    the change in percentage points. Only what the page shows, suppressed the same way."""

    def row(section, label, values=(), change=None):
        values = [_fmt(v) for v in values] + [""] * (3 - len(values))
        return [str(section), str(label), *values[:3], "" if change is None else change]

    yield row(_("Reach"), _("Participants"), [report.participants])
    for dimension, rows in report.reach.items():
        for r in rows:
            yield row(dimension, r.label, r.cells)
    for r in report.funnel:
        yield row(_("Completion"), r.label, r.cells)
    for r in report.responses:
        yield row(_("Responses sent"), r.label, r.cells)
    yield row(_("Before and after"), _("People who sent both surveys"), [report.paired])
    for r in report.indicators:
        yield row(_("Indicator (baseline, endline)"), r.label, r.cells, r.change)
    for r in report.ladder:
        yield row(_("Adoption ladder (baseline, endline)"), r.label, r.cells)
    for band, rows in report.bands.items():
        title = instrument.CORE[band].text
        for r in rows:
            yield row(title, r.label, r.cells)
    for r in report.shifts:
        yield row(_("Moves (up, same, down)"), r.label, r.cells)
    yield row(_("Follow-up"), _("People who sent all three surveys"), [report.followup_n])
    for r in report.followup:
        yield row(_("Indicator (baseline, endline, follow-up)"), r.label, r.cells)
    if report.retention:
        yield row(_("Follow-up"), report.retention.label, report.retention.cells)
    for r in report.per_cohort:
        yield row(_("Cohort (participants, baseline, endline)"), r.label, r.cells[:3])
        yield row(_("Cohort: people who sent both surveys"), r.label, r.cells[3:])
