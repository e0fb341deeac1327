"""Production configuration: the deploy checklist passes with production variables set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-7f3a9c2e1b",
    "ALLOWED_HOSTS": "belajar.example.id",
    "CSRF_TRUSTED_ORIGINS": "https://belajar.example.id",
    "HTTPS": "true",
    "BEHIND_PROXY": "true",
}


def run_deploy_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_variables():
    result = run_deploy_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_https():
    result = run_deploy_check({**PRODUCTION_ENV, "HTTPS": "false"})
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr  # no HSTS


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
