from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def staff_required(view):
    """Programme staff only. Others get 404, the same answer as for a page that is not there."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def mentor_required(view):
    """Mentors, and staff who may act for them. Others get 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_mentor or request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
