"""Every named URL pattern of the project, as (name, route, converters)."""

from django.urls import URLPattern, URLResolver, get_resolver


def iter_patterns(patterns=None, prefix="", namespace=""):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_patterns(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name:
                full = f"{namespace}:{name}" if namespace else name
            else:
                full = None
            yield full, prefix + str(entry.pattern), entry.pattern.converters
