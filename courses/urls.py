from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.course_list, name="course_list"),
    path("courses/<slug:slug>/", views.course_detail, name="course_detail"),
    path("courses/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("courses/<slug:slug>/continue/", views.continue_course, name="continue"),
    path(
        "courses/<slug:slug>/modules/<int:module_id>/offline/",
        views.module_pack,
        name="module_pack",
    ),
    path("courses/<slug:slug>/lessons/<int:lesson_id>/", views.lesson_detail, name="lesson_detail"),
    path(
        "courses/<slug:slug>/lessons/<int:lesson_id>/complete/",
        views.lesson_complete,
        name="lesson_complete",
    ),
    path(
        "courses/<slug:slug>/lessons/<int:lesson_id>/quiz/", views.quiz_submit, name="quiz_submit"
    ),
    path(
        "courses/<slug:slug>/lessons/<int:lesson_id>/task/", views.task_submit, name="task_submit"
    ),
    path(
        "courses/<slug:slug>/lessons/<int:lesson_id>/media/",
        views.lesson_media,
        name="lesson_media",
    ),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt_detail"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission_detail"),
    path("submissions/photos/<int:photo_id>/", views.task_photo, name="task_photo"),
    path("media/pictures/<str:name>", views.picture_file, name="picture_file"),
    path("verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path(
        "certificates/<int:certificate_id>/<str:fmt>/",
        views.certificate_download,
        name="certificate_download",
    ),
    path(
        "staff/certificates/<int:certificate_id>/",
        views.certificate_manage,
        name="certificate_manage",
    ),
    path("staff/reviews/", views.review_queue, name="review_queue"),
    path("staff/reviews/<int:submission_id>/", views.review_submission, name="review_submission"),
]
