"""Queries compiled to SQL once and run again with new ids.

Turning a QuerySet into SQL costs Django several times what a small indexed query costs the
database (measured on PostgreSQL 15: reading a user by id 0.66 ms of CPU through the ORM,
about 0.12 ms as prepared SQL). The few reads that every page makes (the signed-in user, the
learner's enrolment, their progress) are therefore written once as ordinary QuerySets and
compiled by Django itself, once per thread and database; only the ids change between runs.

    enrollment_read = Precompiled(
        lambda user_id, course_id: Enrollment.objects.filter(user_id=user_id, course_id=course_id)
    )
    enrollment = enrollment_read.get(user.pk, course.pk)

The builder gets a marker for each argument (a distinct negative integer no id ever has) and
must use it only as an integer compared by the query (an id); the compiled parameters are
searched for the markers, and a builder whose markers do not all come out as parameters is
refused. ``instances`` gives the model instances of a model query as iterating it would
(its ``select_related`` objects and annotations included), ``get`` the one instance of a query
that matches at most one row, ``rows`` the tuples of a ``values_list`` query. Not served, and
refused: ``prefetch_related`` (a second query) and querysets of a related manager. The model
rows are built the way Django's ModelIterable builds them, with its RelatedPopulator, from what
the compiler worked out once. tests/test_precompiled.py checks each read against the ORM on
SQLite and PostgreSQL.
"""

import threading

from django.db import connections, router
from django.db.models.query import ModelIterable, get_related_populators

_MARKER_BASE = -7_300_000_000_000


class Precompiled:
    def __init__(self, build):
        self.build = build
        self.arity = build.__code__.co_argcount
        self.markers = [_MARKER_BASE - index for index in range(self.arity)]
        self.model = build(*self.markers).model  # for routing: building is lazy and cheap
        self._local = threading.local()  # a compiler keeps its thread's connection

    def _compiled(self, using):
        cache = self._local.__dict__.setdefault("by_database", {})
        if using not in cache:
            markers = self.markers
            queryset = self.build(*markers)
            compiler = queryset.query.get_compiler(using)
            sql, params = compiler.as_sql()
            slots = [
                ("arg", markers.index(value)) if value in markers else ("const", value)
                for value in params
            ]
            if sorted({index for kind, index in slots if kind == "arg"}) != list(range(self.arity)):
                raise ValueError("every argument must be a parameter of the query")
            columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
            compiled = {
                "sql": sql,
                "slots": slots,
                "compiler": compiler,
                "converters": compiler.get_converters(columns),
                "model": None,
            }
            if queryset._iterable_class is ModelIterable:
                if queryset._prefetch_related_lookups or queryset._known_related_objects:
                    raise ValueError("prefetch_related and related managers are not served")
                klass_info = compiler.klass_info
                fields = klass_info["select_fields"]
                start, end = fields[0], fields[-1] + 1
                compiled.update(
                    model=klass_info["model"],
                    span=(start, end),
                    attnames=[column[0].target.attname for column in compiler.select[start:end]],
                    populators=get_related_populators(klass_info, compiler.select, using),
                    annotations=list(compiler.annotation_col_map.items()),
                )
            cache[using] = compiled
        return cache[using]

    def _run(self, args):
        if len(args) != self.arity:
            raise TypeError(f"expected {self.arity} ids, got {len(args)}")
        using = router.db_for_read(self.model)
        compiled = self._compiled(using)
        params = [int(args[value]) if kind == "arg" else value for kind, value in compiled["slots"]]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled["sql"], params)
            rows = cursor.fetchall()
        if compiled["converters"]:
            rows = list(compiled["compiler"].apply_converters(rows, compiled["converters"]))
        return using, compiled, rows

    def rows(self, *args) -> list[tuple]:
        """The result rows as tuples (a values_list query)."""
        return [tuple(row) for row in self._run(args)[2]]

    def instances(self, *args) -> list:
        """The model instances, as iterating the QuerySet gives them."""
        using, compiled, rows = self._run(args)
        model = compiled["model"]
        if model is None:
            raise TypeError("instances() and get() need a model query, not values_list")
        start, end = compiled["span"]
        found = []
        for row in rows:
            instance = model.from_db(using, compiled["attnames"], row[start:end])
            for populator in compiled["populators"]:
                populator.populate(row, instance)
            for name, position in compiled["annotations"]:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def get(self, *args):
        """The one model instance the query matches, or None."""
        found = self.instances(*args)
        if len(found) > 1:
            raise self.model.MultipleObjectsReturned
        return found[0] if found else None
