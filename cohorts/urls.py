from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("staff/cohorts/", views.cohort_list, name="cohort_list"),
    path("staff/cohorts/new/", views.cohort_create, name="cohort_create"),
    path("staff/cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("staff/cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
    path("staff/cohorts/<int:cohort_id>/learners/", views.cohort_learners, name="cohort_learners"),
    path("staff/cohorts/<int:cohort_id>/at-risk/", views.cohort_at_risk, name="cohort_at_risk"),
    path("staff/cohorts/<int:cohort_id>/import/", views.cohort_import, name="cohort_import"),
    path(
        "staff/cohorts/<int:cohort_id>/import/commit/",
        views.cohort_import_commit,
        name="cohort_import_commit",
    ),
    path(
        "staff/cohorts/<int:cohort_id>/invitations/",
        views.cohort_invitations,
        name="cohort_invitations",
    ),
    path(
        "staff/cohorts/<int:cohort_id>/invitations/<int:user_id>/",
        views.cohort_invite_member,
        name="cohort_invite_member",
    ),
    path(
        "staff/cohorts/<int:cohort_id>/sessions/new/", views.session_create, name="session_create"
    ),
    path(
        "staff/cohorts/<int:cohort_id>/sessions/<int:session_id>/",
        views.session_detail,
        name="session_detail",
    ),
    path(
        "staff/cohorts/<int:cohort_id>/sessions/<int:session_id>/attendance/",
        views.session_attendance,
        name="session_attendance",
    ),
    path("staff/cohorts/<int:cohort_id>/export/roster/", views.export_roster, name="export_roster"),
    path(
        "staff/cohorts/<int:cohort_id>/export/attendance/",
        views.export_attendance,
        name="export_attendance",
    ),
    path("sessions/<int:session_id>/checkin/", views.session_checkin, name="session_checkin"),
]
