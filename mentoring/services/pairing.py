"""Mentor–learner pairing: scores with reasons, an optimal assignment under each mentor's
capacity (scipy's linear_sum_assignment), hand edits, confirmation and reassignment."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from cohorts.models import Cohort, Membership
from mentoring.models import Language, LearnerNeeds, MentorProfile, Pairing, PairingWeights
from ukmlearn.users.choices import Province, Sector
from ukmlearn.users.models import BusinessProfile


class PairingError(Exception):
    """str(exc) is the message for staff."""


@dataclass
class Candidate:
    """What the solver knows about one learner."""

    user_id: int
    name: str
    needs: set[int] = field(default_factory=set)
    need_names: dict[int, str] = field(default_factory=dict)
    sector: str = ""
    city: str = ""
    province: str = ""
    language: str = "id"
    mode: str = "any"


@dataclass
class MentorSlot:
    user_id: int
    name: str
    expertise: dict[int, str]
    sectors: set[str]
    cities: set[str]
    provinces: set[str]
    languages: set[str]
    modes: set[str]
    free: int


def _norm(text: str) -> str:
    return " ".join((text or "").lower().split())


def match(mentor: MentorSlot, learner: Candidate, weights: PairingWeights, *, explain=True):
    """(score, reasons) or None when the pair cannot work (no mode they share: an in-person
    mentor outside the learner's province, or an online-only mentor for an in-person learner).
    explain=False skips the wording: the solver scores every pair, but words only the chosen."""
    same_province = bool(learner.province) and learner.province in mentor.provinces
    same_city = bool(learner.city) and _norm(learner.city) in mentor.cities
    online_ok = "online" in mentor.modes and learner.mode in ("any", "online")
    in_person_ok = (
        "in_person" in mentor.modes
        and learner.mode in ("any", "in_person")
        and (same_city or same_province)
    )
    if not (online_ok or in_person_ok):
        return None
    covered = [t for t in learner.needs if t in mentor.expertise]
    same_sector = bool(learner.sector) and learner.sector in mentor.sectors
    shared_language = learner.language != "id" and learner.language in mentor.languages
    preferred_mode = learner.mode != "any"
    score = (
        weights.need * len(covered)
        + (weights.sector if same_sector else 0)
        + (weights.city if same_city else weights.province if same_province else 0)
        + (weights.language if shared_language else 0)
        + (weights.mode if preferred_mode else 0)
    )
    if not explain:
        return score, []
    reasons = []
    if covered:
        tags = ", ".join(sorted(learner.need_names[t] for t in covered))
        reasons.append(gettext("expertise: {tags}").format(tags=tags))
    if same_sector:
        reasons.append(gettext("same sector: {sector}").format(sector=Sector(learner.sector).label))
    if same_city:
        reasons.append(gettext("same city: {city}").format(city=learner.city))
    elif same_province:
        province = Province(learner.province).label
        reasons.append(gettext("same province: {province}").format(province=province))
    if shared_language:
        language = Language(learner.language).label
        reasons.append(gettext("shared language: {language}").format(language=language))
    if preferred_mode:
        mode = gettext("online") if learner.mode == "online" else gettext("in person")
        reasons.append(gettext("preferred mode: {mode}").format(mode=mode))
    return score, reasons


def _weights(cohort: Cohort) -> PairingWeights:
    weights, _ = PairingWeights.objects.get_or_create(cohort=cohort)
    return weights


def _mentor_slots(cohort: Cohort) -> list[MentorSlot]:
    mentor_ids = Membership.objects.filter(
        cohort=cohort, role=Membership.Role.MENTOR, left_at__isnull=True
    ).values("user_id")
    profiles = (
        MentorProfile.objects.filter(user_id__in=mentor_ids, is_active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("expertise")
        .annotate(
            active=Count(
                "user__mentor_pairings",
                filter=Q(user__mentor_pairings__status=Pairing.Status.ACTIVE),
            ),
            proposed_here=Count(
                "user__mentor_pairings",
                filter=Q(
                    user__mentor_pairings__status=Pairing.Status.PROPOSED,
                    user__mentor_pairings__cohort=cohort,
                ),
            ),
        )
    )
    return [
        MentorSlot(
            user_id=p.user_id,
            name=p.user.name,
            expertise={t.pk: t.name for t in p.expertise.all()},
            sectors=set(p.sectors),
            cities={_norm(c) for c in p.cities},
            provinces=set(p.provinces),
            languages=set(p.languages),
            modes=set(p.modes),
            free=max(p.capacity - p.active, 0),
        )
        for p in profiles
    ]


def _candidates(cohort: Cohort, *, only: int | None = None) -> list[Candidate]:
    """Learners of the cohort without an active mentor here (or just the learner `only`)."""
    members = Membership.objects.filter(
        cohort=cohort, role=Membership.Role.LEARNER, left_at__isnull=True, user__is_active=True
    )
    if only is not None:
        members = members.filter(user_id=only)
    else:
        paired = Pairing.objects.filter(cohort=cohort, status=Pairing.Status.ACTIVE)
        members = members.exclude(user_id__in=paired.values("learner_id"))
    members = members.select_related("user").order_by("user__name", "user_id")
    candidates = {m.user_id: Candidate(user_id=m.user_id, name=m.user.name) for m in members}
    for profile in BusinessProfile.objects.filter(user_id__in=candidates):
        candidate = candidates[profile.user_id]
        candidate.sector, candidate.city = profile.sector, profile.city
        candidate.province = profile.province
    for needs in LearnerNeeds.objects.filter(user_id__in=candidates).prefetch_related("skills"):
        candidate = candidates[needs.user_id]
        candidate.needs = {t.pk for t in needs.skills.all()}
        candidate.need_names = {t.pk: t.name for t in needs.skills.all()}
        candidate.language, candidate.mode = needs.language, needs.preferred_mode
    return list(candidates.values())


@dataclass
class Suggestion:
    proposals: list[Pairing]
    unmatched: list[tuple[str, str]]  # (learner name, reason)


def solve(
    learners: list[Candidate], mentors: list[MentorSlot], weights: PairingWeights
) -> tuple[list[tuple[Candidate, MentorSlot, int, list[str]]], list[tuple[Candidate, str]]]:
    """Assign learners to mentors, each mentor taking at most `free` learners, maximising
    the sum of (score + 1) over the pairs made: the total match score plus one point per
    learner paired, so that pairing someone with a weak match beats leaving them out."""
    if not learners:
        return [], []
    # Imported here: numpy and scipy take a fifth of a second to load, and only pairing
    # needs them (web processes start without them).
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    scores = np.full((len(learners), max(len(mentors), 1)), -1, dtype=np.int64)
    for i, learner in enumerate(learners):
        for j, mentor in enumerate(mentors):
            result = match(mentor, learner, weights, explain=False)
            if result is not None:
                scores[i, j] = result[0] + 1
    any_feasible = (scores >= 0).any(axis=1)

    def why(i):
        if not any_feasible[i]:
            return gettext("no mentor serves this region or mode")
        return gettext("the suitable mentors are full")

    if not any(mentor.free for mentor in mentors):
        full = gettext("no mentor has capacity left")
        return [], [
            (learner, full if any_feasible[i] else why(i)) for i, learner in enumerate(learners)
        ]
    column_of_slot = np.array([j for j, mentor in enumerate(mentors) for _ in range(mentor.free)])
    # linear_sum_assignment minimises: the cost of an infeasible pair is high enough that it
    # is only chosen when nothing else is left, and then discarded below.
    infeasible_cost = int(scores.max()) + 1000
    cost = np.where(scores[:, column_of_slot] >= 0, -scores[:, column_of_slot], infeasible_cost)
    rows, cols = linear_sum_assignment(cost)
    assigned, unmatched = [], []
    matched_rows = set()
    for row, col in zip(rows, cols, strict=True):
        j = column_of_slot[col]
        if scores[row, j] < 0:
            continue
        score, reasons = match(mentors[j], learners[row], weights)
        assigned.append((learners[row], mentors[j], score, reasons))
        matched_rows.add(row)
    for i, learner in enumerate(learners):
        if i not in matched_rows:
            unmatched.append((learner, why(i)))
    return assigned, unmatched


def pairing_suggest(*, cohort: Cohort, created_by) -> Suggestion:
    """Replace this cohort's proposals with a fresh optimal suggestion. Confirmed (active)
    pairings stay as they are and use up their mentor's capacity."""
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        Pairing.objects.filter(cohort=cohort, status=Pairing.Status.PROPOSED).delete()
        assigned, unmatched = solve(_candidates(cohort), _mentor_slots(cohort), _weights(cohort))
        proposals = Pairing.objects.bulk_create(
            [
                Pairing(
                    cohort=cohort,
                    mentor_id=mentor.user_id,
                    learner_id=learner.user_id,
                    score=score,
                    reasons=reasons,
                    created_by=created_by,
                )
                for learner, mentor, score, reasons in assigned
            ]
        )
    return Suggestion(proposals, [(learner.name, reason) for learner, reason in unmatched])


def _explain(cohort: Cohort, mentor_id: int, learner_id: int) -> tuple[int, list[str]]:
    mentor = next((m for m in _mentor_slots(cohort) if m.user_id == mentor_id), None)
    learner = next(iter(_candidates(cohort, only=learner_id)), None)
    if mentor is None or learner is None:
        raise PairingError(gettext("That person is not a mentor or learner of this cohort."))
    result = match(mentor, learner, _weights(cohort))
    if result is None:
        return 0, [gettext("chosen by staff (no shared mode or region)")]
    return result[0], [*result[1], gettext("chosen by staff")]


def proposal_set_mentor(*, proposal: Pairing, mentor_id: int) -> Pairing:
    """Swap the mentor of a proposal by hand; the reasons are recomputed."""
    score, reasons = _explain(proposal.cohort, mentor_id, proposal.learner_id)
    proposal.mentor_id, proposal.score, proposal.reasons = mentor_id, score, reasons
    proposal.save(update_fields=["mentor", "score", "reasons"])
    return proposal


def proposal_add(*, cohort: Cohort, mentor_id: int, learner_id: int, created_by) -> Pairing:
    if Pairing.objects.filter(
        cohort=cohort,
        learner_id=learner_id,
        status__in=[Pairing.Status.PROPOSED, Pairing.Status.ACTIVE],
    ).exists():
        raise PairingError(gettext("This learner already has a mentor in this cohort."))
    score, reasons = _explain(cohort, mentor_id, learner_id)
    try:
        with transaction.atomic():
            return Pairing.objects.create(
                cohort=cohort,
                mentor_id=mentor_id,
                learner_id=learner_id,
                score=score,
                reasons=reasons,
                created_by=created_by,
            )
    except IntegrityError as exc:
        # Someone paired this learner a moment ago.
        raise PairingError(gettext("This learner already has a mentor in this cohort.")) from exc


def pairings_confirm(*, cohort: Cohort) -> int:
    """Make every proposal of the cohort active at once. Refused (nothing changes) when a
    mentor would go over capacity."""
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        proposals = list(Pairing.objects.filter(cohort=cohort, status=Pairing.Status.PROPOSED))
        if not proposals:
            return 0
        load = {}
        for proposal in proposals:
            load[proposal.mentor_id] = load.get(proposal.mentor_id, 0) + 1
        profiles = (
            MentorProfile.objects.filter(user_id__in=load)
            .select_related("user")
            .annotate(
                active=Count(
                    "user__mentor_pairings",
                    filter=Q(user__mentor_pairings__status=Pairing.Status.ACTIVE),
                )
            )
        )
        capacity = {p.user_id: (p.capacity - p.active, p.user.name) for p in profiles}
        for mentor_id, count in load.items():
            free, name = capacity.get(mentor_id, (0, "?"))
            if count > free:
                raise PairingError(
                    gettext("{name} would have more mentees than their capacity.").format(name=name)
                )
        now = timezone.now()
        return Pairing.objects.filter(pk__in=[p.pk for p in proposals]).update(
            status=Pairing.Status.ACTIVE, started_at=now
        )


def pairing_reassign(*, pairing: Pairing, mentor_id: int, created_by) -> Pairing:
    """End the current pairing (history kept) and start a new active one."""
    if mentor_id == pairing.mentor_id:
        raise PairingError(gettext("This learner already has that mentor."))
    score, reasons = _explain(pairing.cohort, mentor_id, pairing.learner_id)
    mentor = next(m for m in _mentor_slots(pairing.cohort) if m.user_id == mentor_id)
    if mentor.free < 1:
        raise PairingError(
            gettext("{name} would have more mentees than their capacity.").format(name=mentor.name)
        )
    with transaction.atomic():
        now = timezone.now()
        Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.ENDED, ended_at=now)
        return Pairing.objects.create(
            cohort=pairing.cohort,
            mentor_id=mentor_id,
            learner_id=pairing.learner_id,
            status=Pairing.Status.ACTIVE,
            score=score,
            reasons=reasons,
            created_by=created_by,
            started_at=now,
        )
