"""Blocks through the clipboard, without Qt: JSON both ways, checks, fresh ids, HTML and text."""

from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image

from editor import clipboard
from editor.clipboard import ClipboardError, decode, encode, renew_ids
from editor.document import (
    Column,
    ColumnsBlock,
    DocumentError,
    FooterBlock,
    HeadingBlock,
    ImageBlock,
    Newsletter,
    TextBlock,
    block_to_json,
)
from editor.locate import ids_of
from editor.package import BulletinFile


def _png(color: str = "#2563eb") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(out, "PNG")
    return out.getvalue()


def _file() -> BulletinFile:
    bf = BulletinFile()
    ref = bf.add_image(_png(), "photo.png")
    bf.newsletter = Newsletter(
        blocks=[
            HeadingBlock(id="h1", text='Bonjour {{ first_name | default("ami") }} !'),
            ColumnsBlock(
                id="c1",
                columns=[
                    Column([TextBlock(id="t1", html="<p>Poterie <b>le mardi</b></p>")]),
                    Column([ImageBlock(id="i1", src=ref, alt="Un bol")]),
                ],
            ),
            FooterBlock(id="f1", company="Atelier"),
        ]
    )
    return bf


def test_blocks_go_through_the_clipboard_json_with_their_images() -> None:
    bf = _file()
    bf.add_image(_png("#ff0000"), "unused.png")  # not used by the copied blocks: left out
    blocks = bf.newsletter.blocks[:2]
    clip = decode(encode(blocks, bf.images, source="window-1").encode())
    assert [block_to_json(b) for b in clip.blocks] == [block_to_json(b) for b in blocks]
    assert clip.source == "window-1"
    assert set(clip.images) == {bf.newsletter.blocks[1].columns[1].blocks[0].src}  # type: ignore[attr-defined]
    assert clip.images == {ref: bf.images[ref] for ref in clip.images}


def test_renewed_ids_are_all_new_and_the_original_is_untouched() -> None:
    columns = _file().newsletter.blocks[1]
    twin = renew_ids(columns)
    assert len(set(ids_of(twin)) | set(ids_of(columns))) == 2 * len(ids_of(columns))
    assert ids_of(columns) == ["c1", "t1", "i1"]
    twin_json, original_json = block_to_json(twin), block_to_json(columns)
    for data in (twin_json, original_json):
        data.pop("id")
        for column in data["columns"]:
            for child in column["blocks"]:
                child.pop("id")
    assert twin_json == original_json


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe not json", "does not hold Bulletin blocks"),
        (b"<p>Hello</p>", "does not hold Bulletin blocks"),
        (b'{"blocks": "x"}', "does not hold Bulletin blocks"),
        (b'{"blocks": []}', "holds no block"),
        (b'{"blocks": [{"type": "carousel"}]}', "Unknown block type"),
        (b'{"blocks": [{"type": "heading", "id": "a"}, {"type": "text", "id": "a"}]}', "id"),
        (b'{"blocks": [{"type": "heading", "id": "<!--"}]}', "id"),
        (b'{"blocks": [{"type": "heading", "level": "big"}]}', "unexpected value type"),
        (json.dumps({"blocks": [{"type": "spacer"}] * 1001}).encode(), "more than 1000 blocks"),
    ],
)
def test_what_is_not_usable_is_refused_with_a_sentence(raw: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):  # ClipboardError is one
        decode(raw)


def test_an_image_whose_name_is_not_its_hash_is_refused() -> None:
    data = _png()
    forged = "images/" + "0" * 64 + ".png"
    payload = {
        "blocks": [{"type": "image", "src": forged}],
        "images": {forged: base64.b64encode(data).decode()},
    }
    with pytest.raises(ClipboardError, match="images on the clipboard"):
        decode(json.dumps(payload))
    payload["images"] = {forged: base64.b64encode(b"%PDF-1.4 not an image").decode()}
    with pytest.raises(ClipboardError, match="images on the clipboard"):
        decode(json.dumps(payload))


def test_an_oversized_payload_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "MAX_CLIP_BYTES", 100)
    with pytest.raises(ClipboardError, match="far more"):
        decode(b"{" + b" " * 200 + b"}")


def test_html_and_text_show_the_blocks_with_tags_as_written_and_no_added_footer() -> None:
    bf = _file()
    page, text = clipboard.render(bf.newsletter.blocks[:2], bf.newsletter, bf.images)
    assert "Bonjour {{ first_name | default(&quot;ami&quot;) }} !" in page
    assert "Poterie <strong>le mardi</strong>" in page
    assert 'src="data:image/png;base64,' in page and "bulletin-image:" not in page
    assert "<!--block:auto-footer-->" not in page and "unsubscribe" not in page.lower()
    assert page.rstrip().endswith("</html>")
    assert text.startswith('Bonjour {{ first_name | default("ami") }} !')
    assert "Poterie le mardi" in text and "-- " not in text


def test_a_copied_footer_is_kept() -> None:
    bf = _file()
    page, text = clipboard.render(bf.newsletter.blocks[2:], bf.newsletter, bf.images)
    assert "Atelier" in page and "Atelier" in text
