"""Every starter, rendered and measured in headless Chromium at 375 px and 800 px."""

from __future__ import annotations

import base64
import mimetypes

import pytest

from editor.document import Column, ColumnsBlock, ImageBlock, TextBlock
from editor.render.engine import Renderer
from editor.render.mime import image_bytes
from editor.starters import create, list_starters
from tests.render.browser import measure
from tests.render.helpers import newsletter, png
from tests.system import need_chromium

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def chromium() -> str:
    """Skip before rendering anything when Chromium is missing (fail in CI)."""
    return need_chromium()


def render_standalone(newsletter_obj: object, images: dict[str, bytes]) -> str:
    """The email as a browser sees it: images inlined as data: URLs instead of cid:."""

    def data_url(ref: str) -> str:
        kind = mimetypes.guess_type(ref)[0] or "image/png"
        return f"data:{kind};base64,{base64.b64encode(image_bytes(ref, images)).decode()}"

    rendered = Renderer(images).render(newsletter_obj)  # type: ignore[arg-type]
    return rendered.html_for(None, image_url=data_url)


def check_layout(metrics: dict[str, object], expect_columns: bool) -> None:
    phone, desktop = metrics["w375"], metrics["w800"]
    assert isinstance(phone, dict) and isinstance(desktop, dict)
    assert phone["viewport"] == 375 and desktop["viewport"] == 800
    # No horizontal scrolling on a phone.
    assert phone["scrollWidth"] <= 375, f"scrolls horizontally at 375 px: {phone['scrollWidth']}"
    assert desktop["scrollWidth"] <= 800
    if expect_columns:
        assert desktop["columns"], "no column group found"
    for group in desktop["columns"]:
        tops = {c["top"] for c in group}
        assert len(tops) == 1, f"columns not side by side at 800 px: {group}"
    for metrics_at in (phone, desktop):
        for image in metrics_at["images"]:
            assert image["alt"], f"image without alt text: {image}"


@pytest.mark.parametrize("name", [s.name for s in list_starters()])
def test_starter_renders_well_on_phone_and_desktop(name: str) -> None:
    bf = create(name)
    has_columns = any(isinstance(b, ColumnsBlock) for b in bf.newsletter.blocks)
    metrics = measure(render_standalone(bf.newsletter, bf.images))
    check_layout(metrics, has_columns)
    phone = metrics["w375"]
    # Stacking columns are stacked on the phone.
    for group in phone["columns"]:
        if len(group) > 1 and all(c["width"] >= 300 for c in group):
            assert len({c["top"] for c in group}) == len(group)
    unsubscribe = [
        link
        for link in phone["links"]
        if link["text"] in ("Se désabonner", "Unsubscribe")
        or "abonner" in link["text"].lower()
        or "unsubscribe" in link["text"].lower()
    ]
    assert unsubscribe, "no unsubscribe link"
    assert all(link["href"] and link["href"] != "#" for link in unsubscribe)


def test_columns_side_by_side_on_desktop_and_stacked_on_phone() -> None:
    ref = "images/" + "c" * 64 + ".png"
    doc = newsletter(
        ColumnsBlock(
            id="two",
            columns=[
                Column([ImageBlock(src=ref, alt="Left")]),
                Column([TextBlock(html="<p>Right " * 30 + "</p>")]),
            ],
        ),
        ColumnsBlock(
            id="three",
            ratio="33-33-33",
            columns=[
                Column([TextBlock(html="<p>A</p>")]),
                Column([TextBlock(html="<p>B</p>")]),
                Column([TextBlock(html="<p>C</p>")]),
            ],
        ),
        ColumnsBlock(
            id="fixed",
            stack_on_mobile=False,
            columns=[Column([TextBlock(html="<p>L</p>")]), Column([TextBlock(html="<p>R</p>")])],
        ),
    )
    metrics = measure(render_standalone(doc, {ref: png(1200, 800)}))
    check_layout(metrics, True)
    phone, desktop = metrics["w375"], metrics["w800"]
    for group in desktop["columns"]:
        assert len({c["top"] for c in group}) == 1
    two, three, fixed = phone["columns"]
    for group in (two, three):
        assert len({c["top"] for c in group}) == len(group), f"not stacked: {group}"
        assert all(c["width"] >= 330 for c in group), f"stacked columns not full width: {group}"
    assert len({c["top"] for c in fixed}) == 1, "non-stacking columns must stay side by side"
