import pytest
from django.core.management import CommandError, call_command

from cursus.exchange.actions import import_rows
from cursus.exchange.tests.fixtures import result_row
from cursus.records.models import Result

pytestmark = pytest.mark.django_db


def test_export_then_import_at_the_command_line(tmp_path, capsys, registrar, learners, offering):
    import_rows(actor=None, kind="results", rows=[result_row("A-0000001", offering, 1, "11")])
    path = tmp_path / "results.xlsx"
    call_command(
        "export", "results", "--year", str(offering.term.academic_year.start_year), "-o", str(path)
    )
    call_command("import_file", "results", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "results: 0 created, 0 updated, 1 unchanged" in out
    empty = tmp_path / "none.csv"
    call_command("export", "results", "--centre", "lyon", "-o", str(empty))
    assert empty.read_text(encoding="utf-8-sig").splitlines() == [
        "learner;unit;term;centre;formula;session;grade;section;published"
    ]


def test_a_bad_file_exits_with_each_line_named(tmp_path, learners, offering):
    path = tmp_path / "bad.csv"
    path.write_text(
        "learner,unit,term,centre,formula,session,grade\n"
        f"A-0000001,NFA008,{offering.term.code},paris,evening_saturday,1,12\n"
        f"A-0000002,NFA008,{offering.term.code},paris,evening_saturday,3,12\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_file", "results", str(path))
    assert "line 3, column session" in str(refused.value)
    assert "nothing was imported" in str(refused.value)
    assert not Result.objects.exists()
