from django.urls import path

from . import views

app_name = "mentoring"

cohort = "staff/cohorts/<int:cohort_id>/mentoring/"

urlpatterns = [
    path("mentor/", views.mentor_home, name="mentor_home"),
    path("mentor/profile/", views.mentor_profile, name="mentor_profile"),
    path("mentor/mentees/<int:pairing_id>/", views.mentee_detail, name="mentee_detail"),
    path("mentor/mentees/<int:pairing_id>/log/", views.session_log, name="session_log"),
    path("mentor/sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("mentor/reviews/", views.review_queue, name="review_queue"),
    path("mentor/reviews/<int:submission_id>/", views.review_submission, name="review_submission"),
    path("mentoring/", views.learner_mentoring, name="learner_mentoring"),
    path("mentoring/needs/", views.learner_needs, name="learner_needs"),
    path(
        "mentoring/sessions/<int:session_id>/confirm/",
        views.session_confirm,
        name="session_confirm",
    ),
    path("mentoring/actions/<int:item_id>/done/", views.action_item_done, name="action_item_done"),
    path(cohort, views.cohort_mentoring, name="cohort_mentoring"),
    path(cohort + "suggest/", views.cohort_suggest, name="cohort_suggest"),
    path(cohort + "weights/", views.cohort_weights, name="cohort_weights"),
    path(cohort + "confirm/", views.cohort_confirm, name="cohort_confirm"),
    path(cohort + "proposals/add/", views.proposal_add, name="proposal_add"),
    path(cohort + "proposals/<int:pairing_id>/", views.proposal_change, name="proposal_change"),
    path(
        cohort + "pairs/<int:pairing_id>/reassign/", views.pairing_reassign, name="pairing_reassign"
    ),
    path(cohort + "mentors/add/", views.cohort_add_mentor, name="cohort_add_mentor"),
    path(cohort + "export/", views.cohort_mentoring_export, name="cohort_mentoring_export"),
]
