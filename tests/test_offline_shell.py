"""The installable, offline-capable shell (issue 8): the service worker, the web manifest,
the offline page, and signing out wiping what a shared phone kept."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from PIL import Image

from courses.services import progress
from tests.courses.builders import CourseFactory, LessonFactory, ModuleFactory, add_quiz
from tests.helpers import count_queries, gzipped_size
from tests.test_budgets import HTML_BUDGET

pytestmark = pytest.mark.django_db

SHELL_FILES = ["css/app.css", "js/app.js", "icons/icon-192.png"]


def indonesian(msgid: str) -> str:
    """The Indonesian text of a message; fails if it has no translation."""
    with translation.override("id"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Indonesian translation for {msgid!r}"
    return text


def worker(client) -> str:
    return client.get(reverse("service_worker")).content.decode()


def shell_urls(source: str) -> list[str]:
    return json.loads(re.search(r"const SHELL_URLS = (\[.*?\]);", source).group(1))


def version(source: str) -> str:
    return re.search(r'const SHELL = "shell-([0-9a-f]{12})";', source).group(1)


def kept_pattern(source: str) -> re.Pattern:
    """The service worker's rule for pages worth keeping, read as a Python pattern."""
    return re.compile(re.search(r"const KEPT = /(.*)/;", source).group(1).replace(r"\/", "/"))


def static_file(url: str) -> Path:
    assert url.startswith(django_settings.STATIC_URL)
    found = finders.find(url.removeprefix(django_settings.STATIC_URL))
    assert found, f"{url} is not a static file"
    return Path(found)


# --- The service worker ------------------------------------------------------------------


def test_the_service_worker_is_served_from_the_root_as_javascript(anonymous):
    response = anonymous.client.get("/sw.js")

    assert reverse("service_worker") == "/sw.js"  # the root scope covers every page
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    # app.js registers it with updateViaCache "all": no download after every page
    assert response["Cache-Control"] == "public, max-age=3600"


def test_the_service_worker_keeps_the_offline_page_and_the_files_every_page_uses(anonymous):
    source = worker(anonymous.client)

    assert f'const OFFLINE_URL = "{reverse("offline")}";' in source
    assert reverse("offline") == "/offline/"
    assert shell_urls(source) == ["/offline/", *[static(path) for path in SHELL_FILES]]
    for url in shell_urls(source)[1:]:
        assert static_file(url).stat().st_size > 0


def test_the_service_worker_is_the_same_until_the_static_files_change(anonymous, learner):
    first = worker(anonymous.client)

    assert worker(anonymous.client) == first
    assert worker(learner.client) == first  # nothing personal in it


def copy_of_static(tmp_path) -> Path:
    source = tmp_path / "static-source"
    shutil.copytree(Path(django_settings.BASE_DIR) / "static", source)
    return source


def release(settings, tmp_path, source: Path):
    """collectstatic with hashed names, as production does, from `source` only."""
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)


def test_a_new_release_of_the_static_files_is_a_new_service_worker(anonymous, settings, tmp_path):
    before = version(worker(anonymous.client))
    source = copy_of_static(tmp_path)

    release(settings, tmp_path, source)
    hashed = worker(anonymous.client)
    (source / "js" / "app.js").write_text(
        (source / "js" / "app.js").read_text() + "\n// release 2\n"
    )
    release(settings, tmp_path, source)
    changed = worker(anonymous.client)

    assert re.fullmatch(r"/static/js/app\.[0-9a-f]{12}\.js", shell_urls(hashed)[2])
    assert shell_urls(changed)[2] != shell_urls(hashed)[2]
    assert shell_urls(changed)[1] == shell_urls(hashed)[1]  # the CSS did not change
    assert len({before, version(hashed), version(changed)}) == 3


def test_the_service_worker_keeps_every_page_a_module_pack_saves(learner):
    course = CourseFactory()
    module = ModuleFactory(course=course)
    LessonFactory(module=module)
    add_quiz(module)
    progress.enrollment_create(user=learner.user, course=course)
    source = worker(learner.client)
    kept = kept_pattern(source)

    pack = learner.client.get(reverse("courses:module_pack", args=[course.slug, module.pk])).json()

    assert len(pack["pages"]) == 2
    for url in [*pack["pages"], reverse("home"), course.get_absolute_url()]:
        assert kept.match(url), f"{url} would not be read offline"
    for url in [
        reverse("courses:module_pack", args=[course.slug, module.pk]),
        reverse("account_settings"),
        reverse("offline"),
        reverse("courses:lesson_complete", args=[course.slug, module.lessons.first().pk]),
    ]:
        assert not kept.match(url), f"{url} should not be kept"
    assert 'url.pathname.startsWith("/media/pictures/")' in source
    assert reverse("courses:picture_file", args=["x.webp"]).startswith("/media/pictures/")


def test_every_page_registers_the_service_worker_at_the_root(anonymous):
    html = anonymous.client.get(reverse("account_login")).content.decode()
    script = static_file(re.search(r'<script src="([^"]+)" defer>', html).group(1))

    registers = re.compile(
        r"navigator\.serviceWorker\.register\([\"']/sw\.js[\"'], \{ updateViaCache: \"all\" \}\)"
    )
    assert registers.search(script.read_text())


# --- The web manifest --------------------------------------------------------------------------


def manifest(client, **headers) -> dict:
    response = client.get(reverse("web_manifest"), headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return response.json()


def test_the_manifest_makes_ukmlearn_installable(anonymous):
    data = manifest(anonymous.client)

    assert reverse("web_manifest") == "/manifest.webmanifest"
    assert data["name"] == "ukmlearn"
    assert data["short_name"]
    assert data["start_url"] == "/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", data["background_color"])


def test_the_manifest_icons_are_pngs_of_the_size_they_claim(anonymous):
    icons = manifest(anonymous.client)["icons"]

    assert {(icon["sizes"], icon.get("purpose", "any")) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        path = static_file(icon["src"])
        assert path.parent.name == "icons"
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert icon["type"] == "image/png"
            assert "x".join(map(str, image.size)) == icon["sizes"]


def test_the_manifest_describes_ukmlearn_in_indonesian_by_default(anonymous):
    data = manifest(anonymous.client)

    assert data["lang"] == "id"
    assert data["description"] == indonesian(
        "Practical digital-skills lessons for small businesses."
    )


def test_the_manifest_describes_ukmlearn_in_english_to_an_english_browser(anonymous):
    data = manifest(anonymous.client, **{"Accept-Language": "en"})

    assert data["lang"] == "en"
    assert data["description"] == "Practical digital-skills lessons for small businesses."


def test_the_manifest_follows_the_language_chosen_on_the_site(learner):
    learner.client.post(reverse("language_switch"), {"language": "en", "next": "/"})

    assert manifest(learner.client)["lang"] == "en"


def test_every_page_links_the_manifest(personas):
    for name in ("anonymous", "learner"):
        html = personas[name].client.get(reverse("offline")).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html


@pytest.mark.parametrize(
    ("persona", "url_name", "expected"),
    [
        ("anonymous", "service_worker", 0),
        ("anonymous", "web_manifest", 0),
        ("anonymous", "offline", 0),
        # a signed-in browser sends its session cookie: session and user only
        ("learner", "service_worker", 2),
        ("learner", "web_manifest", 2),
        ("learner", "offline", 2),
    ],
)
def test_the_shell_needs_no_query_of_its_own(personas, persona, url_name, expected):
    client = personas[persona].client
    url = reverse(url_name)
    client.get(url)

    assert count_queries(lambda: client.get(url)) == expected


# --- The offline page ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "learner", "mentor", "staff", "partner"])
def test_the_offline_page_opens_for_everyone(personas, persona):
    response = personas[persona].client.get(reverse("offline"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul id="offline-pages"></ul>' in html
    assert indonesian("No connection") in html
    assert (
        indonesian(
            "This page is not saved on your phone. Lessons you opened before, and modules "
            "you saved for reading offline, can still be read:"
        )
        in html
    )
    assert (
        indonesian(
            "Answers you send while offline are kept on your phone and sent once you have a "
            "signal again."
        )
        in html
    )


def test_the_offline_page_shows_nothing_of_the_person_signed_in(learner):
    """The service worker keeps it for whoever uses the phone next."""
    html = learner.client.get(reverse("offline")).content.decode()

    assert learner.user.name not in html
    assert learner.user.phone not in html


def test_the_offline_page_speaks_english_to_an_english_browser(anonymous):
    html = anonymous.client.get(reverse("offline"), headers={"Accept-Language": "en"}).content
    html = html.decode()

    assert "No connection" in html
    assert "modules you saved for reading offline, can still be read" in html


@pytest.mark.parametrize("persona", ["anonymous", "learner"])
def test_the_offline_page_fits_in_the_first_round_trip(personas, persona):
    response = personas[persona].client.get(reverse("offline"))

    assert gzipped_size(response) <= HTML_BUDGET


# --- Signing out clears the phone ---------------------------------------------------------------


def test_signing_out_clears_the_pages_and_answers_kept_on_the_phone(learner):
    response = learner.client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in learner.client.session


def test_the_sign_out_question_itself_clears_nothing(learner):
    response = learner.client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert "Clear-Site-Data" not in response
    assert "_auth_user_id" in learner.client.session


def test_other_forms_clear_nothing(learner):
    response = learner.client.post(
        reverse("account_settings"), {"name": "Siti", "timezone": "Asia/Jakarta"}
    )

    assert response.status_code == 302
    assert "Clear-Site-Data" not in response
