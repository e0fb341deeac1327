"""Course content that every learner request reads (the course, its outline, a lesson, a
quiz's questions), kept in memory between changes.

Content changes rarely (staff editing in the admin) and is read on every lesson page, "lesson
done" and quiz submit: serving it from memory takes four to six queries off each of those
requests (bench/load.py). Each process keeps the entries it built, pickled (every read gets
its own copy, free to annotate), under one content version that lives in the shared cache
(Redis). Saving or deleting any course, module, lesson, question, option or picture writes a
new version, at once and again when the transaction commits; the process that saved sees it
at once, the others within VERSION_CHECK_SECONDS. Code that changes content with
QuerySet.update() must call `content_changed()`.

When the shared cache is unreachable (ukmlearn.cache.TolerantRedisCache reads None) nothing
is kept: every read goes to the database, as before.
"""

import pickle
import threading
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "courses:content-version"
# How long a process trusts the version it read before asking the shared cache again.
VERSION_CHECK_SECONDS = 1.0
# A bound on one process's entries (a course's outline, lessons and quizzes are a few dozen).
MAX_ENTRIES = 5000


_lock = threading.Lock()
_state = {"version": None, "checked": 0.0, "entries": {}}

# The fields of a lesson that the outline (course page, lesson navigation, data costs) uses.
OUTLINE_LESSON_FIELDS = (
    "id",
    "module_id",
    "title",
    "kind",
    "position",
    "is_optional",
    "estimated_minutes",
    "media_bytes",
    "video_url",
    "media_file",
    "page_bytes",
    "picture_bytes",
)


def content_changed() -> None:
    """Start a new content version: every entry of the old one is dropped."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    with _lock:
        _state.update(version=version, checked=time.monotonic(), entries={})


def forget() -> None:
    """Drop this process's entries and version (tests: the database was rolled back)."""
    with _lock:
        _state.update(version=None, checked=0.0, entries={})


def _on_change(sender, **kwargs):
    content_changed()
    # A request between this save and the commit may keep what it read before the commit.
    transaction.on_commit(content_changed)


def connect_signals() -> None:
    from .models import Course, Lesson, Module, Option, Picture, Question

    for model in (Course, Module, Lesson, Question, Option, Picture):
        for signal in (post_save, post_delete):
            signal.connect(_on_change, sender=model, dispatch_uid=f"content-{model.__name__}")


def _current_version() -> str | None:
    now = time.monotonic()
    if _state["version"] is not None and now - _state["checked"] < VERSION_CHECK_SECONDS:
        return _state["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or the shared cache lost its data: a new random version.
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    with _lock:
        if version != _state["version"]:
            _state["entries"] = {}
        _state.update(version=version, checked=now)
    return version  # None: the shared cache is unreachable


def _cached(name: str, build):
    if _current_version() is None:
        return build()
    entries = _state["entries"]
    data = entries.get(name)
    if data is None:
        value = build()
        if len(entries) >= MAX_ENTRIES:
            entries.clear()
        entries[name] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        return value
    return pickle.loads(data)  # noqa: S301 - bytes this process pickled itself


def _without_prefetch_cache(obj):
    obj.__dict__.pop("_prefetched_objects_cache", None)
    return obj


def course_by_slug(slug: str):
    """The course (with its cover) or None."""
    from .models import Course

    def build():
        return Course.objects.select_related("cover").filter(slug=slug).first()

    return _cached(f"course:{slug}", build)


def outline(course_id: int) -> list:
    """The course's modules in order, each with `lesson_list` (outline fields only)."""
    from .models import Lesson, Module

    def build():
        lessons = Lesson.objects.only(*OUTLINE_LESSON_FIELDS)
        modules = list(
            Module.objects.filter(course_id=course_id).prefetch_related(
                Prefetch("lessons", queryset=lessons)
            )
        )
        for module in modules:
            module.lesson_list = list(module.lessons.all())
            _without_prefetch_cache(module)
        return modules

    return _cached(f"outline:{course_id}", build)


def lesson(course_id: int, lesson_id: int):
    """A lesson of the course (all fields, with its module) or None."""
    from .models import Lesson

    def build():
        return (
            Lesson.objects.select_related("module")
            .filter(pk=lesson_id, module__course_id=course_id)
            .first()
        )

    return _cached(f"lesson:{course_id}:{lesson_id}", build)


def questions(lesson_id: int) -> list:
    """A quiz's questions in order, each with `option_list`."""
    from .models import Question

    def build():
        found = list(Question.objects.filter(lesson_id=lesson_id).prefetch_related("options"))
        for question in found:
            question.option_list = list(question.options.all())
            _without_prefetch_cache(question)
        return found

    return _cached(f"questions:{lesson_id}", build)
