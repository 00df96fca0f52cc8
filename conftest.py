"""Test-wide switches: skips that must not happen in CI become failures.

A browser test skips when Chromium is missing and a PostgreSQL test skips on
SQLite; both say why. ``CURSUS_FORBID_SKIPS=browser,postgres`` (set by
``.ci/run``) turns such skips into failures, so that CI cannot pass by
quietly running less.
"""

import os

import pytest

SKIP_TAGS = {"browser": "[browser]", "postgres": "[postgres]", "node": "[node]"}


def _forbidden_tags() -> set[str]:
    names = {n.strip() for n in os.environ.get("CURSUS_FORBID_SKIPS", "").split(",") if n.strip()}
    return {SKIP_TAGS[name] for name in names if name in SKIP_TAGS}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else ""
    forbidden = [tag for tag in _forbidden_tags() if tag in reason]
    if forbidden:
        report.outcome = "failed"
        report.longrepr = f"Skipped in a run that forbids {', '.join(forbidden)} skips: {reason}"
