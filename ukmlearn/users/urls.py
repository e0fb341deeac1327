from django.urls import path

from . import views

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("profile/business/", views.business_profile, name="business_profile"),
    path("profile/settings/", views.account_settings, name="account_settings"),
    path("language/", views.language_switch, name="language_switch"),
    path("staff/people/invite/", views.invite_person, name="invite_person"),
    path("invite/set-password/", views.invitation_accept, name="invitation_accept"),
    path("invite/<str:token>/", views.invitation_open, name="invitation_open"),
    path("accounts/password/reset/phone/", views.phone_reset_request, name="phone_reset_request"),
    path(
        "accounts/password/reset/phone/code/",
        views.phone_reset_confirm,
        name="phone_reset_confirm",
    ),
]
