from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin's own login form is replaced by allauth's, so its rate limits apply.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "ukmlearn"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", views.home, name="home"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("offline/", views.offline, name="offline"),
    path("", include("courses.urls")),
    path("", include("cohorts.urls")),
    path("", include("mentoring.urls")),
    path("", include("outcomes.urls")),
    path("", include("ukmlearn.notifications.urls")),
    path("", include("ukmlearn.users.urls")),
    path("", include("ukmlearn.privacy.urls")),
]

handler404 = "ukmlearn.errors.page_not_found"
handler500 = "ukmlearn.errors.server_error"
