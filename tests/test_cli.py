"""The command line: templates, new, render — outputs on stdout/files, errors on stderr, exit 2."""

from __future__ import annotations

import email
import json
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest

from editor.cli import run
from editor.document import HeadingBlock, ImageBlock, TextBlock
from editor.package import BulletinFile, save
from editor.starters import list_starters
from tests.render.helpers import newsletter, png


def make_doc(tmp_path: Path, *blocks: object) -> Path:
    bf = BulletinFile(newsletter=newsletter(*blocks), images={})  # type: ignore[arg-type]
    path = tmp_path / "news.bulletin"
    save(bf, path)
    return path


def test_templates_prints_one_starter_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["templates"]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    names = [s.name for s in list_starters()]
    assert len(names) >= 8
    assert [line.split()[0] for line in lines] == names
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)
    assert out.err == ""


def test_new_creates_a_document_that_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = list_starters()[0].name
    out = tmp_path / "mine.bulletin"
    assert run(["new", "--template", name, str(out)]) == 0
    assert out.exists()
    assert run(["render", str(out), "--html", str(tmp_path / "a.html")]) == 0
    assert "<!DOCTYPE html>" in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_new_refuses_to_overwrite_and_unknown_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.bulletin"
    out.write_text("precious")
    assert run(["new", "--template", list_starters()[0].name, str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == "precious"
    assert run(["new", "--template", "nope", str(tmp_path / "y.bulletin")]) == 2
    err = capsys.readouterr().err
    assert "Unknown template" in err and list_starters()[0].name in err


def test_render_writes_html_text_and_eml_personalised(tmp_path: Path) -> None:
    doc = make_doc(
        tmp_path,
        HeadingBlock(text="Hello {{ first_name }}"),
        TextBlock(html="<p>Your city: {{ city | default('?') }}</p>"),
    )
    contact = tmp_path / "c.json"
    contact.write_text(
        json.dumps({"email": "zoe@exemple.fr", "first_name": "Zoé", "fields": {"city": "Lyon"}}),
        encoding="utf-8",
    )
    html, text, eml = tmp_path / "o.html", tmp_path / "o.txt", tmp_path / "o.eml"
    assert (
        run(
            [
                "render",
                str(doc),
                "--html",
                str(html),
                "--text",
                str(text),
                "--eml",
                str(eml),
                "--contact-json",
                str(contact),
            ]
        )
        == 0
    )
    assert "Hello Zoé" in html.read_text(encoding="utf-8")
    assert "Your city: Lyon" in text.read_text(encoding="utf-8")
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["To"] == "Zoé <zoe@exemple.fr>"
    assert msg.get_content_type() == "multipart/alternative"


def test_render_html_is_self_contained(tmp_path: Path) -> None:
    bf = BulletinFile(newsletter=newsletter(), images={})
    ref = bf.add_image(png(), "shop.png")
    bf.newsletter.blocks.insert(0, ImageBlock(src=ref, alt="Shop"))
    save(bf, tmp_path / "img.bulletin")
    assert run(["render", str(tmp_path / "img.bulletin"), "--html", str(tmp_path / "o.html")]) == 0
    html = (tmp_path / "o.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html and "cid:" not in html


def test_render_with_sample_values_warns_about_unknown_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = make_doc(tmp_path, TextBlock(html="<p>{{ loyalty_points }}</p>"))
    assert run(["render", str(doc), "--text", str(tmp_path / "o.txt")]) == 0
    assert "loyalty_points" in capsys.readouterr().err
    assert "[loyalty_points]" in (tmp_path / "o.txt").read_text(encoding="utf-8")


def test_render_with_a_contact_missing_a_field_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = make_doc(tmp_path, TextBlock(html="<p>{{ loyalty_points }}</p>"))
    contact = tmp_path / "c.json"
    contact.write_text('{"email": "a@b.fr"}')
    assert (
        run(
            ["render", str(doc), "--html", str(tmp_path / "o.html"), "--contact-json", str(contact)]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "loyalty_points" in err and "Traceback" not in err
    assert not (tmp_path / "o.html").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"%PDF-1.7 not a newsletter", "Cannot open"), (b"", "Cannot open")],
)
def test_render_of_a_foreign_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad.bulletin"
    bad.write_bytes(content)
    assert run(["render", str(bad), "--html", str(tmp_path / "o.html")]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_render_errors_missing_file_bad_contact_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(["render", str(tmp_path / "missing.bulletin"), "--html", str(tmp_path / "o.html")]) == 2
    )
    assert "missing.bulletin" in capsys.readouterr().err
    doc = make_doc(tmp_path, TextBlock(html="<p>x</p>"))
    contact = tmp_path / "c.json"
    contact.write_text("{not json")
    assert (
        run(
            ["render", str(doc), "--html", str(tmp_path / "o.html"), "--contact-json", str(contact)]
        )
        == 2
    )
    assert "not valid JSON" in capsys.readouterr().err
    assert run(["render", str(doc)]) == 2
    assert "--html" in capsys.readouterr().err


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run(["frobnicate"])
    assert info.value.code == 2


def test_console_entry_point_runs(tmp_path: Path) -> None:
    """`bulletin` as installed by `uv run` (the same entry point as main.py)."""
    result = subprocess.run(
        [sys.executable, "-m", "main", "templates"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(list_starters())
    bin_dir = Path(sys.executable).parent
    script = bin_dir / ("bulletin.exe" if sys.platform == "win32" else "bulletin")
    assert script.exists()
    result = subprocess.run([str(script), "templates"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.strip()


def test_output_cut_short_by_a_pipe_is_not_an_error() -> None:
    """`bulletin templates | head -1`: the reader is gone before we write; no error shown."""
    script = Path(sys.executable).parent / "bulletin"
    process = subprocess.Popen(
        [str(script), "templates"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # long before the program has started and printed anything
    error = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == 0
    assert error == b""


def test_render_prints_findings_worded_with_their_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = make_doc(tmp_path, ImageBlock(src="https://cdn.example/a.png"))
    assert run(["render", str(doc), "--html", str(tmp_path / "o.html")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "warning: An image has no alt text. Describe the image in a few words: " in "\n".join(
        err
    )
    assert len([line for line in err if "alt text" in line]) == 1
