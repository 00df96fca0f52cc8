import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cursus.web.i18n_check import LOCALE_DIR, check, main, parse_mo, parse_po

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def catalogue(tmp_path: Path, language: str, body: str, *, compile_: bool = True) -> Path:
    folder = tmp_path / language / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    po.write_text(HEADER + body, encoding="utf-8")
    if compile_:
        subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    return po


needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU msgfmt")


def test_the_project_catalogues_are_complete_and_compiled():
    problems, summary = check(LOCALE_DIR)
    assert problems == []
    assert summary.startswith("Translations complete")


@needs_msgfmt
def test_complete_compiled_catalogue_passes(tmp_path: Path):
    catalogue(
        tmp_path,
        "fr",
        'msgid "Home"\nmsgstr "Accueil"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "Ouvrir"\n\n'
        'msgid "%(n)s unit"\nmsgid_plural "%(n)s units"\nmsgstr[0] "%(n)s unité"\n'
        'msgstr[1] "%(n)s unités"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n"Deux "\n"lignes \\"citées\\""\n',
    )
    catalogue(tmp_path, "en", 'msgid "Home"\nmsgstr ""\n')
    problems, summary = check(tmp_path)
    assert problems == []
    assert "4 French messages" in summary


@needs_msgfmt
def test_untranslated_and_fuzzy_french_entries_are_listed(tmp_path: Path):
    catalogue(
        tmp_path,
        "fr",
        'msgid "Home"\nmsgstr ""\n\n#, fuzzy\nmsgid "Search"\nmsgstr "Recherche"\n\n'
        'msgid "%(n)s unit"\nmsgid_plural "%(n)s units"\nmsgstr[0] "%(n)s unité"\n'
        'msgstr[1] ""\n',
    )
    problems, _summary = check(tmp_path)
    assert len(problems) == 3
    assert "untranslated: 'Home'" in problems[0]
    assert "fuzzy: 'Search'" in problems[1]
    assert "untranslated: '%(n)s unit'" in problems[2]


@needs_msgfmt
def test_a_po_edited_after_compiling_is_caught(tmp_path: Path):
    po = catalogue(tmp_path, "fr", 'msgid "Home"\nmsgstr "Accueil"\n')
    po.write_text(HEADER + 'msgid "Home"\nmsgstr "Page d’accueil"\n', encoding="utf-8")
    problems, _summary = check(tmp_path)
    assert len(problems) == 1
    assert "differs from its .po" in problems[0]


def test_a_missing_mo_is_caught(tmp_path: Path):
    catalogue(tmp_path, "fr", 'msgid "Home"\nmsgstr "Accueil"\n', compile_=False)
    problems, _summary = check(tmp_path)
    assert problems == [f"{tmp_path / 'fr/LC_MESSAGES/django.mo'}: missing; run compilemessages"]


@needs_msgfmt
def test_parsing_reads_what_msgfmt_compiles(tmp_path: Path):
    po = catalogue(tmp_path, "fr", 'msgid "A \\"quoted\\" word"\nmsgstr "Un mot « cité »"\n')
    assert parse_po(po)[1].msgid == 'A "quoted" word'
    assert parse_mo(po.with_suffix(".mo"))['A "quoted" word'] == "Un mot « cité »"


def test_command_exits_non_zero_on_problems(tmp_path: Path, capsys):
    catalogue(tmp_path, "fr", 'msgid "Home"\nmsgstr ""\n', compile_=False)
    assert main([str(tmp_path)]) == 1
    assert "untranslated: 'Home'" in capsys.readouterr().err


def test_command_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "cursus.web.i18n_check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
