"""Quizzes: scoring on the server, attempts, idempotency, and what the pages reveal."""

import re
import uuid

import pytest
from django.urls import reverse

from courses.models import LessonProgress, Option, Question, QuizAttempt
from courses.services import progress, quizzes
from courses.services.quizzes import InvalidAnswers, NoAttemptsLeft
from tests.courses.builders import (
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    add_quiz,
    right_answers,
    translated,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory()


@pytest.fixture
def module(course):
    return ModuleFactory(course=course)


@pytest.fixture
def enrollment(learner, course, module):
    LessonFactory(module=module, position=0, title="Bacaan")
    return progress.enrollment_create(user=learner.user, course=course)


def submit(enrollment, quiz, answers, key=None):
    return quizzes.quiz_submit(
        enrollment=enrollment, lesson=quiz, answers=answers, idempotency_key=key or uuid.uuid4()
    )


def mixed_answers(quiz, right: int):
    """The first `right` questions answered right, the others wrong."""
    good, bad = right_answers(quiz), wrong_answers(quiz)
    return {qid: (good[qid] if n < right else bad[qid]) for n, qid in enumerate(good)}


def is_done(enrollment, lesson) -> bool:
    return LessonProgress.objects.filter(
        enrollment=enrollment, lesson=lesson, completed_at__isnull=False
    ).exists()


@pytest.mark.parametrize(("right", "score"), [(0, 0), (1, 33), (2, 66), (3, 100)])
def test_it_scores_the_share_of_questions_answered_right_rounded_down(
    module, enrollment, right, score
):
    quiz = add_quiz(module, questions=3)

    attempt, created = submit(enrollment, quiz, mixed_answers(quiz, right))

    assert created is True
    assert attempt.score == score
    assert attempt.passed is (score >= 70)


def test_it_counts_an_unanswered_question_as_wrong(module, enrollment):
    quiz = add_quiz(module, questions=2)
    answers = right_answers(quiz)
    answers.pop(next(iter(answers)))

    attempt, _ = submit(enrollment, quiz, answers)

    assert attempt.score == 50


@pytest.fixture
def multiple_choice_quiz(module):
    quiz = LessonFactory(module=module, kind="quiz", position=10, pass_mark=100)
    question = Question.objects.create(
        lesson=quiz, text="Mana yang termasuk biaya tetap?", kind=Question.Kind.MULTIPLE
    )
    rent = Option.objects.create(question=question, text="Sewa kios", is_correct=True)
    salary = Option.objects.create(question=question, text="Gaji tetap", is_correct=True)
    flour = Option.objects.create(question=question, text="Tepung", is_correct=False)
    return quiz, question, (rent, salary, flour)


@pytest.mark.parametrize(
    ("chosen", "score"),
    [
        ({"rent", "salary"}, 100),
        ({"rent"}, 0),
        ({"rent", "salary", "flour"}, 0),
        ({"flour"}, 0),
        (set(), 0),
    ],
)
def test_it_needs_exactly_the_right_set_for_a_multiple_choice_question(
    enrollment, multiple_choice_quiz, chosen, score
):
    quiz, question, (rent, salary, flour) = multiple_choice_quiz
    ids = {"rent": rent.pk, "salary": salary.pk, "flour": flour.pk}

    attempt, _ = submit(enrollment, quiz, {question.pk: {ids[name] for name in chosen}})

    assert attempt.score == score


def test_it_completes_the_lesson_when_the_learner_passes(module, enrollment):
    quiz = add_quiz(module, questions=2)

    attempt, _ = submit(enrollment, quiz, right_answers(quiz))

    assert attempt.passed is True
    assert is_done(enrollment, quiz)
    enrollment.refresh_from_db()
    assert enrollment.completed_lessons == 1


def test_it_leaves_the_lesson_open_when_the_learner_fails(module, enrollment):
    quiz = add_quiz(module, questions=2)

    attempt, _ = submit(enrollment, quiz, wrong_answers(quiz))

    assert attempt.passed is False
    assert not is_done(enrollment, quiz)
    enrollment.refresh_from_db()
    assert enrollment.completed_lessons == 0


def test_it_keeps_the_lesson_done_when_a_later_attempt_fails(module, enrollment):
    quiz = add_quiz(module, questions=2)
    submit(enrollment, quiz, right_answers(quiz))

    submit(enrollment, quiz, wrong_answers(quiz))

    assert is_done(enrollment, quiz)


def test_it_keeps_the_best_score(module, enrollment):
    quiz = add_quiz(module, questions=2)
    assert progress.quiz_best_score(enrollment=enrollment, lesson=quiz) is None

    for right in (1, 2, 0):
        submit(enrollment, quiz, mixed_answers(quiz, right))

    assert progress.quiz_best_score(enrollment=enrollment, lesson=quiz) == 100


def test_it_refuses_an_attempt_beyond_the_allowed_number(module, enrollment):
    quiz = add_quiz(module, questions=2, max_attempts=2)
    first, _ = submit(enrollment, quiz, wrong_answers(quiz))
    submit(enrollment, quiz, wrong_answers(quiz))

    with pytest.raises(NoAttemptsLeft):
        submit(enrollment, quiz, right_answers(quiz))

    assert QuizAttempt.objects.filter(enrollment=enrollment, lesson=quiz).count() == 2
    assert not is_done(enrollment, quiz)
    # A retry of an attempt already stored is still answered, not refused.
    again, created = submit(enrollment, quiz, wrong_answers(quiz), key=first.idempotency_key)
    assert (again.pk, created) == (first.pk, False)


def test_it_counts_a_repeated_submission_with_the_same_key_once(module, enrollment):
    quiz = add_quiz(module, questions=2)
    key = uuid.uuid4()

    first, created_first = submit(enrollment, quiz, wrong_answers(quiz), key=key)
    second, created_second = submit(enrollment, quiz, right_answers(quiz), key=key)

    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert second.score == 0
    assert QuizAttempt.objects.filter(enrollment=enrollment).count() == 1
    assert quizzes.attempts_used(enrollment=enrollment, lesson=quiz) == 1


def test_it_lets_two_learners_use_the_same_key(module, enrollment, other_learner, course):
    quiz = add_quiz(module, questions=2)
    other = progress.enrollment_create(user=other_learner.user, course=course)
    key = uuid.uuid4()

    mine, _ = submit(enrollment, quiz, wrong_answers(quiz), key=key)
    theirs, created = submit(other, quiz, right_answers(quiz), key=key)

    assert created is True
    assert theirs.pk != mine.pk
    assert theirs.score == 100


def forged_answers(quiz, other_quiz, how):
    questions = quizzes.quiz_questions(lesson=quiz)
    first, second = questions[0], questions[1]
    answers = right_answers(quiz)
    if how == "option of another question":
        answers[first.pk] = {second.option_list[0].pk}
    elif how == "option of another quiz":
        answers[first.pk] = {quizzes.quiz_questions(lesson=other_quiz)[0].option_list[0].pk}
    elif how == "nonexistent option":
        answers[first.pk] = {999_999}
    elif how == "right option plus a foreign one":
        answers[first.pk] = answers[first.pk] | {second.option_list[0].pk}
    elif how == "question of another quiz":
        answers[quizzes.quiz_questions(lesson=other_quiz)[0].pk] = set()
    return answers


FORGERIES = [
    "option of another question",
    "option of another quiz",
    "nonexistent option",
    "right option plus a foreign one",
    "question of another quiz",
]


@pytest.mark.parametrize("how", FORGERIES)
def test_it_refuses_forged_option_ids_and_stores_nothing(module, enrollment, how):
    quiz = add_quiz(module, questions=2)
    other_quiz = add_quiz(module, questions=2, position=51)

    with pytest.raises(InvalidAnswers):
        submit(enrollment, quiz, forged_answers(quiz, other_quiz, how))

    assert not QuizAttempt.objects.exists()
    assert not is_done(enrollment, quiz)


def quiz_url(name, course, quiz):
    return reverse(f"courses:{name}", args=[course.slug, quiz.pk])


def post_data(answers, key=None, **extra):
    data = {"idempotency_key": str(key or uuid.uuid4()), **extra}
    for question_id, option_ids in answers.items():
        data[f"q{question_id}"] = [str(pk) for pk in option_ids]
    return data


# (A single-choice field keeps one posted value, so "right plus foreign" is tested below on a
# multiple-choice question.)
@pytest.mark.parametrize("how", FORGERIES[:3])
def test_it_answers_forged_option_ids_with_a_form_error(learner, course, module, enrollment, how):
    quiz = add_quiz(module, questions=2)
    other_quiz = add_quiz(module, questions=2, position=51)
    answers = forged_answers(quiz, other_quiz, how)

    response = learner.client.post(quiz_url("quiz_submit", course, quiz), post_data(answers))

    assert response.status_code == 400
    first_question = quizzes.quiz_questions(lesson=quiz)[0]
    assert list(response.context["quiz_form"].errors) == [f"q{first_question.pk}"]
    assert 'class="errorlist' in response.content.decode()
    assert not QuizAttempt.objects.exists()
    assert not is_done(enrollment, quiz)


def test_it_answers_a_foreign_option_among_right_ones_with_a_form_error(
    learner, course, enrollment, multiple_choice_quiz
):
    quiz, question, (rent, salary, _) = multiple_choice_quiz
    other_quiz = add_quiz(ModuleFactory(), questions=1)
    foreign = quizzes.quiz_questions(lesson=other_quiz)[0].option_list[0]

    response = learner.client.post(
        quiz_url("quiz_submit", course, quiz),
        post_data({question.pk: [rent.pk, salary.pk, foreign.pk]}),
    )

    assert response.status_code == 400
    assert list(response.context["quiz_form"].errors) == [f"q{question.pk}"]
    assert not QuizAttempt.objects.exists()


def test_it_asks_for_every_question_to_be_answered(learner, course, module, enrollment):
    quiz = add_quiz(module, questions=2)
    answers = right_answers(quiz)
    answers.pop(next(iter(answers)))

    response = learner.client.post(quiz_url("quiz_submit", course, quiz), post_data(answers))

    assert response.status_code == 400
    assert translated("Please answer this question.") in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_it_ignores_a_score_sent_by_the_browser(learner, course, module, enrollment):
    quiz = add_quiz(module, questions=2)
    data = post_data(wrong_answers(quiz), score="100", correct="1", passed="true")

    response = learner.client.post(quiz_url("quiz_submit", course, quiz), data)

    attempt = QuizAttempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == attempt.get_absolute_url()
    assert (attempt.score, attempt.passed) == (0, False)
    assert not is_done(enrollment, quiz)


def test_it_stores_one_attempt_when_the_same_form_is_sent_twice(
    learner, course, module, enrollment
):
    quiz = add_quiz(module, questions=2)
    data = post_data(right_answers(quiz))
    url = quiz_url("quiz_submit", course, quiz)

    first = learner.client.post(url, data)
    second = learner.client.post(url, data, follow=True)

    assert QuizAttempt.objects.count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert translated("Your answers were already received.") in second.content.decode()


def test_it_tells_the_learner_when_no_attempts_are_left(learner, course, module, enrollment):
    quiz = add_quiz(module, questions=2, max_attempts=1)
    url = quiz_url("quiz_submit", course, quiz)
    learner.client.post(url, post_data(wrong_answers(quiz)))

    response = learner.client.post(url, post_data(right_answers(quiz)), follow=True)

    assert response.redirect_chain[-1][0] == quiz_url("lesson_detail", course, quiz)
    html = response.content.decode()
    assert translated("You have used all your attempts for this quiz.") in html
    assert 'action="' + url + '"' not in html
    assert QuizAttempt.objects.count() == 1


def test_the_quiz_page_counts_this_learners_attempts_at_this_quiz_only(
    learner, course, module, enrollment, other_learner
):
    quiz = add_quiz(module, questions=3, max_attempts=4)
    other_quiz = add_quiz(module, questions=2)
    submit(enrollment, quiz, mixed_answers(quiz, 1))
    submit(enrollment, quiz, mixed_answers(quiz, 2))
    submit(enrollment, other_quiz, right_answers(other_quiz))
    stranger = progress.enrollment_create(user=other_learner.user, course=course)
    submit(stranger, quiz, right_answers(quiz))

    response = learner.client.get(quiz_url("lesson_detail", course, quiz))

    assert (response.context["attempts_used"], response.context["attempts_left"]) == (2, 2)
    assert response.context["best_score"] == 66


EXPLANATIONS = ["PENJELASAN-SEWA-7f3a", "PENJELASAN-TEPUNG-9c1b", "PENJELASAN-LISTRIK-2d4e"]


@pytest.fixture
def explained_quiz(module):
    quiz = LessonFactory(module=module, kind="quiz", position=10, title="Kuis biaya")
    question = Question.objects.create(lesson=quiz, text="Biaya mana yang tetap?")
    for position, (text, correct, explanation) in enumerate(
        [
            ("Sewa kios", True, EXPLANATIONS[0]),
            ("Tepung", False, EXPLANATIONS[1]),
            ("Listrik", False, EXPLANATIONS[2]),
        ]
    ):
        Option.objects.create(
            question=question,
            text=text,
            is_correct=correct,
            explanation=explanation,
            position=position,
        )
    return quiz


CORRECTNESS_MARKERS = re.compile(
    r"is[_-]?correct|data-correct|data-right|✓|class=\"[^\"]*\b(right|correct|wrong)\b", re.I
)


def test_it_never_puts_explanations_or_the_right_answer_in_the_quiz_page(
    learner, course, enrollment, explained_quiz
):
    response = learner.client.get(quiz_url("lesson_detail", course, explained_quiz))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sewa kios" in html  # the options are there...
    for explanation in EXPLANATIONS:
        assert explanation not in html  # ...their explanations are not
    assert CORRECTNESS_MARKERS.search(html) is None


def _normalised_quiz_page(client, url):
    html = client.get(url).content.decode()
    # The CSRF token and the fresh idempotency key change on every render.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    return re.sub(r'name="idempotency_key" value="[^"]+"', "KEY", html)


def test_it_renders_the_same_quiz_page_whichever_option_is_right(
    learner, course, enrollment, explained_quiz
):
    url = quiz_url("lesson_detail", course, explained_quiz)
    before = _normalised_quiz_page(learner.client, url)

    options = Option.objects.filter(question__lesson=explained_quiz)
    options.update(is_correct=False)
    options.filter(text="Listrik").update(is_correct=True)
    after = _normalised_quiz_page(learner.client, url)

    assert "Sewa kios" in before
    assert after == before


def test_it_shows_the_explanations_on_the_attempt_page(learner, course, enrollment, explained_quiz):
    question = explained_quiz.questions.get()
    tepung = question.options.get(text="Tepung")
    learner.client.post(
        quiz_url("quiz_submit", course, explained_quiz),
        post_data({question.pk: {tepung.pk}}),
    )

    attempt = QuizAttempt.objects.get()
    response = learner.client.get(attempt.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    for explanation in EXPLANATIONS:
        assert explanation in html
    assert re.search(r'class="right">\s*Sewa kios ✓', html)
    assert re.search(r'class="wrong">\s*<strong>[^<]+</strong> Tepung', html)


@pytest.fixture
def shuffled_quiz(module):
    quiz = LessonFactory(module=module, kind="quiz", position=10, shuffle=True)
    for number in range(6):
        question = Question.objects.create(lesson=quiz, text=f"Soal {number}", position=number)
        for letter in "abcd":
            Option.objects.create(question=question, text=f"{number}{letter}", position=ord(letter))
    return quiz


def order(questions):
    return [(q.pk, [o.pk for o in q.option_list]) for q in questions]


def test_it_shuffles_the_same_way_for_the_same_seed(shuffled_quiz):
    seed = "4b0c5a4e-2f1b-4a39-9d35-0f4e0d8d7a61"
    first = order(quizzes.quiz_questions(lesson=shuffled_quiz, seed=seed))
    second = order(quizzes.quiz_questions(lesson=shuffled_quiz, seed=seed))
    unshuffled = order(quizzes.quiz_questions(lesson=shuffled_quiz))

    assert first == second
    # The same questions and options, only in another order.
    assert {q: sorted(o) for q, o in first} == {q: sorted(o) for q, o in unshuffled}
    assert first != unshuffled
    orders = {
        str(order(quizzes.quiz_questions(lesson=shuffled_quiz, seed=f"seed-{n}"))) for n in range(5)
    }
    assert len(orders) > 1


def test_it_keeps_the_written_order_when_shuffle_is_off(module):
    quiz = add_quiz(module, questions=4)
    written = order(quizzes.quiz_questions(lesson=quiz))

    assert order(quizzes.quiz_questions(lesson=quiz, seed="any")) == written
    assert [pk for pk, _ in written] == list(
        Question.objects.filter(lesson=quiz).order_by("position").values_list("pk", flat=True)
    )


def test_it_accepts_the_answers_to_a_shuffled_quiz_page(learner, course, enrollment, shuffled_quiz):
    page = learner.client.get(quiz_url("lesson_detail", course, shuffled_quiz))
    key = page.context["quiz_form"].initial["idempotency_key"]
    shown = [name for name in page.context["quiz_form"].fields if name.startswith("q")]
    expected = [f"q{q.pk}" for q in quizzes.quiz_questions(lesson=shuffled_quiz, seed=key)]
    assert shown == expected
    first_options = {
        q.pk: {q.option_list[0].pk} for q in quizzes.quiz_questions(lesson=shuffled_quiz)
    }

    response = learner.client.post(
        quiz_url("quiz_submit", course, shuffled_quiz), post_data(first_options, key=key)
    )

    assert response.status_code == 302
    assert QuizAttempt.objects.get().idempotency_key == uuid.UUID(key)


@pytest.mark.parametrize("bound", [False, True], ids=["fresh", "answered with an error"])
def test_the_quiz_options_are_the_inputs_django_would_render(module, bound):
    """The quiz page writes each option's <input> itself (choice_input): the same attributes
    as the widget template gives, checked answers and error markers included."""
    from html.parser import HTMLParser

    from courses.forms import QuizForm
    from courses.templatetags.courses_tags import choice_input, plain_input

    def attributes(html):
        found = []

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                found.append((tag, dict(attrs)))

        Parser().feed(str(html))
        return found

    quiz = add_quiz(module, questions=2)
    several = Question.objects.create(
        lesson=quiz, text="Pilih semua", position=9, kind=Question.Kind.MULTIPLE
    )
    for number in range(3):
        Option.objects.create(question=several, text=f"O{number}", position=number)
    questions = quizzes.quiz_questions(lesson=quiz, seed="x")
    single = [q for q in questions if q.kind != Question.Kind.MULTIPLE]
    several = next(q for q in questions if q.kind == Question.Kind.MULTIPLE)
    data = None
    if bound:  # one question answered, the several-answer one twice, one left out
        data = {
            f"q{single[0].pk}": str(single[0].option_list[1].pk),
            f"q{several.pk}": [str(o.pk) for o in several.option_list[:2]],
            "idempotency_key": "not-a-uuid",
        }
    form = QuizForm(data, questions=questions, initial={"idempotency_key": uuid.uuid4()})
    assert form.is_valid() is False if bound else not form.is_bound
    inputs = []
    hidden = [field for field in form if field.is_hidden]
    assert [attributes(plain_input(field)) for field in hidden] == [
        attributes(str(field)) for field in hidden
    ]
    assert attributes(plain_input(hidden[0]))[0][1]["value"] == (
        "not-a-uuid" if bound else str(form.initial["idempotency_key"])
    )
    for field in form:
        if not field.is_hidden:
            for choice in field:
                ours = attributes(choice_input(choice))
                assert ours == attributes(choice.tag())
                inputs.extend(attrs for _, attrs in ours)
    assert len(inputs) == 7
    assert sum("checked" in attrs for attrs in inputs) == (3 if bound else 0)
    assert sum(attrs.get("aria-invalid") == "true" for attrs in inputs) == (2 if bound else 0)
    assert {attrs["type"] for attrs in inputs} == {"radio", "checkbox"}
