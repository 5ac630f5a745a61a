"""The check as a whole: the public entry points, the score, the starters, the one-click fixes,
the CLI and hostile input."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from editor import cli, findings
from editor.document import TextBlock, to_json
from editor.package import save
from editor.render.engine import Renderer
from editor.spam import CheckError, check_eml, check_file, check_html, check_newsletter, fix_for
from editor.spam.fixes import has_fix
from editor.spam.score import score_of
from editor.starters import list_starters
from tests.spam.helpers import CLEAN_TEXT, eml, page, starter


def test_score_is_ten_minus_points_clamped() -> None:
    assert score_of(0) == 10.0
    assert score_of(-3) == 10.0
    assert score_of(2.34) == 7.7
    assert score_of(5) == 5.0
    assert score_of(17) == 0.0


@pytest.mark.parametrize("name", [s.name for s in list_starters()])
def test_every_starter_is_clean(name: str) -> None:
    doc = starter(name)
    report = check_newsletter(doc.newsletter, images=doc.images)
    assert report.score >= 9, [(f.rule, f.points) for f in report.findings]


def test_report_sorted_by_impact_and_json_shape() -> None:
    raw = eml(
        "<p>CLICK HERE!!! 100% FREE MONEY</p>" + f"<p>{CLEAN_TEXT}</p>",
        subject="FREE MONEY NOW",
        omit=("Date",),
    )
    report = check_eml(raw)
    points = [f.points for f in report.findings]
    assert points == sorted(points, reverse=True)
    assert report.points == pytest.approx(sum(points), abs=0.01)
    assert report.score == score_of(report.points)
    data = report.to_json()
    assert set(data) == {"score", "points", "findings", "html_bytes"}
    assert set(data["findings"][0]) == {"id", "points", "severity", "message", "fix", "block"}
    assert data["html_bytes"] > 0


def test_spammy_message_scores_low_and_clean_one_high() -> None:
    spam = eml(
        "<p>Dear friend, you are a winner! Click here to claim your FREE MONEY!!!</p>"
        '<p><a href="http://192.168.0.9/claim">https://www.paypal.com/claim</a></p>'
        "<p>Please confirm your password and your card number.</p>",
        subject="YOU ARE A WINNER!!!",
        omit=("List-Unsubscribe",),
    )
    assert check_eml(spam).score <= 2
    assert check_eml(eml()).score >= 9


def test_check_newsletter_uses_the_given_render() -> None:
    doc = starter()
    renderer = Renderer(doc.images)
    rendered = renderer.render(doc.newsletter)
    misses = renderer.misses
    first = check_newsletter(doc.newsletter, rendered, images=doc.images)
    assert renderer.misses == misses  # nothing rendered again
    assert first.html_bytes == len(rendered.html_for(None, preview=True).encode())


def test_check_html_and_check_file(tmp_path: Path) -> None:
    html = page(f"<p>{CLEAN_TEXT}</p>")
    assert check_html(html).html_bytes == len(html.encode())
    (tmp_path / "a.html").write_text(html, encoding="cp1252")
    (tmp_path / "a.eml").write_bytes(eml())
    doc = starter()
    save(doc, tmp_path / "a.bulletin")
    assert check_file(tmp_path / "a.html").findings == check_html(html).findings
    assert check_file(tmp_path / "a.eml").score >= 9
    assert check_file(tmp_path / "a.bulletin").score >= 9


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: =?x-unknown?q?caf=E9?=\nContent-Type: text/html; charset=x-nope\n\n"
        b"<p>caf\xe9</p>",
        b"From: <<<>>>\nSubject: \xff\xfe\nContent-Type: multipart/alternative\n\nno boundary",
        b"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\n"
        b"Content-Transfer-Encoding: base64\n\n!!!not base64\n--b--",
        b"Subject: x\n\n" + b"<div>" * 5000 + b"text",
        b"Subject: x\nContent-Type: text/html\n\n<a href='http://[::1'>broken</a>"
        b"<img src=x width=99999999999>",
    ],
)
def test_hostile_messages_never_crash(raw: bytes) -> None:
    report = check_eml(raw)
    assert 0 <= report.score <= 10


def test_not_a_message_is_a_check_error(tmp_path: Path) -> None:
    with pytest.raises(CheckError):
        check_eml(b"")
    (tmp_path / "x.eml").write_bytes(b"\0\0\0binary")
    with pytest.raises(CheckError):
        check_file(tmp_path / "x.eml")
    with pytest.raises(CheckError):
        check_file(tmp_path / "missing.eml")
    (tmp_path / "bad.bulletin").write_bytes(b"PK not a zip")
    with pytest.raises(CheckError):
        check_file(tmp_path / "bad.bulletin")


# ------------------------------------------------------------------------------------- fixes


def _round_trip(doc_newsletter: object, finding: findings.Finding) -> None:
    before = copy.deepcopy(to_json(doc_newsletter))  # type: ignore[arg-type]
    command = fix_for(doc_newsletter, finding)  # type: ignore[arg-type]
    assert command is not None
    inverse = command.apply(doc_newsletter)  # type: ignore[arg-type]
    assert to_json(doc_newsletter) != before  # type: ignore[arg-type]
    report = check_newsletter(doc_newsletter)  # type: ignore[arg-type]
    assert finding.code not in {f.finding.code for f in report.findings}
    inverse.apply(doc_newsletter)  # type: ignore[arg-type]
    assert to_json(doc_newsletter) == before  # type: ignore[arg-type]


def _finding(doc_newsletter: object, rule: str) -> findings.Finding:
    report = check_newsletter(doc_newsletter)  # type: ignore[arg-type]
    return next(f.finding for f in report.findings if f.rule == rule)


def test_fix_subject_in_capitals_round_trips() -> None:
    doc = starter()
    doc.newsletter.subject = "OUR {{ first_name }} AUTUMN NEWS"
    found = _finding(doc.newsletter, "subject_all_caps")
    assert has_fix(found)
    command = fix_for(doc.newsletter, found)
    assert (
        command is not None and getattr(command, "value", "") == "Our {{ first_name }} autumn news"
    )
    _round_trip(doc.newsletter, found)


def test_fix_subject_punctuation_round_trips() -> None:
    doc = starter()
    doc.newsletter.subject = "Autumn news!!! Ready?!"
    _round_trip(doc.newsletter, _finding(doc.newsletter, "subject_punctuation"))


def test_fix_text_punctuation_round_trips_and_keeps_markup() -> None:
    doc = starter()
    block = next(b for b in doc.newsletter.walk() if isinstance(b, TextBlock))
    block.html = '<p>Come along!!! <a href="https://x.example/?a=1!!">Sign up</a></p>'
    found = _finding(doc.newsletter, "excessive_punctuation")
    assert found.block_id == block.id
    command = fix_for(doc.newsletter, found)
    assert command is not None
    inverse = command.apply(doc.newsletter)
    assert "Come along!" in block.html and "!!!" not in block.html
    assert "?a=1!!" in block.html  # attributes untouched
    inverse.apply(doc.newsletter)
    assert "Come along!!!" in block.html


def test_no_fix_where_it_is_not_safe() -> None:
    doc = starter()
    doc.newsletter.preheader = ""
    found = _finding(doc.newsletter, "preheader_missing")
    assert not has_fix(found)
    assert fix_for(doc.newsletter, found) is None


# --------------------------------------------------------------------------------------- CLI


def test_cli_check_human_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(eml(subject="FREE MONEY NOW", omit=("Date",)))
    assert cli.run(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Score: ")
    assert findings.message(_finding_of(path, "date_missing")) in out
    assert cli.run(["check", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {f["id"] for f in data["findings"]} >= {"date_missing", "subject_all_caps"}
    assert data["score"] == score_of(data["points"])


def _finding_of(path: Path, rule: str) -> findings.Finding:
    return next(f.finding for f in check_file(path).findings if f.rule == rule)


def test_cli_check_unreadable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["check", str(tmp_path / "none.eml")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "x.bulletin").write_bytes(b"not a zip at all")
    assert cli.run(["check", str(tmp_path / "x.bulletin")]) == 2
    assert capsys.readouterr().err.startswith("bulletin: ")


def test_cli_check_exit_0_for_a_bad_score(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text(page('<img src="https://x.example/a.png">'), encoding="utf-8")
    assert cli.run(["check", str(path)]) == 0


def test_every_spam_code_is_worded_even_without_its_parameters() -> None:
    from editor.spam.registry import all_rules

    for r in all_rules():
        finding = findings.Finding.of(r.code)
        assert findings.message(finding) and findings.fix(finding)
