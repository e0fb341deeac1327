from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/<int:cohort_id>/<str:wave>/", views.survey_fill, name="survey_fill"),
    path("surveys/<int:cohort_id>/baseline/later/", views.survey_skip, name="survey_skip"),
    path("surveys/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("reports/outcomes/", views.report, name="report"),
    path("reports/outcomes/export/", views.report_export, name="report_export"),
]
