"""Friendly error pages that still render when the database or a template context is broken."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

# Seconds a phone (or a proxy) should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


def page_not_found(request, exception):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the failure may be in a context processor or the database.
    # Django calls this inside its `except`, so the exception is at hand.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # The database is unreachable (restart, failover): nothing was half-written, since
        # every write runs in a transaction; say "try again" rather than "broken".
        response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
