from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("profile/my-data/", views.my_data, name="my_data"),
    path("profile/my-data/export/", views.export_request, name="export_request"),
    path("profile/my-data/exports/<int:export_id>/", views.export_download, name="export_download"),
    path("profile/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("staff/audit/", views.audit_log, name="audit_log"),
]
