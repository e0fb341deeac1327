import zoneinfo

from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers


class UserPreferencesMiddleware:
    """Show times in the signed-in person's own zone (WIB, WITA or WIT), and decide whether
    the page is built for the data saver (``request.data_saver``): the person's "Hemat
    kuota" setting, or a browser asking for it with ``Save-Data: on``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        asked = request.headers.get("Save-Data", "").strip().lower() == "on"
        if user is not None and user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            request.data_saver = asked or user.data_saver
        else:
            timezone.deactivate()
            request.data_saver = asked
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["Save-Data"])
        if request.method == "POST" and request.path == reverse("account_logout"):
            # Pages kept for offline reading belong to this person: a shared phone must not
            # show them to the next one. Clears the service worker's stores and the queue.
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
