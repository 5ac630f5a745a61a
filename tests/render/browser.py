"""Measure rendered email HTML in headless Chromium, at phone and desktop widths.

The email is loaded into ``srcdoc`` iframes of exact widths (headless Chromium will not make a
window narrower than 500 px, but an iframe's media queries see the iframe's own width), and a
script in the host page writes its measurements into the DOM, read back with ``--dump-dom``.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.system import need_chromium

_PROBE = """
<script>
function measure(frame) {
  const doc = frame.contentDocument, win = frame.contentWindow;
  const groups = [];
  doc.querySelectorAll('.bl-cols').forEach(function (cell) {
    const cols = Array.from(cell.children).filter(e => /\\bbl-col(-fixed)?\\b/.test(e.className));
    groups.push(cols.map(c => { const r = c.getBoundingClientRect();
      return {top: Math.round(r.top), left: Math.round(r.left), width: Math.round(r.width)}; }));
  });
  const imgs = Array.from(doc.images).map(i => ({alt: i.getAttribute('alt'),
    src: i.src.slice(0, 40), width: Math.round(i.getBoundingClientRect().width)}));
  const links = Array.from(doc.links).map(a => ({href: a.getAttribute('href'),
    text: a.textContent.trim()}));
  return {viewport: win.innerWidth, scrollWidth: doc.documentElement.scrollWidth,
          bodyScrollWidth: doc.body.scrollWidth, columns: groups, images: imgs, links: links};
}
window.addEventListener('load', function () {
  const out = {};
  document.querySelectorAll('iframe').forEach(f => { out[f.id] = measure(f); });
  document.getElementById('out').textContent = JSON.stringify(out);
});
</script>
"""


def measure(email_html: str, widths: tuple[int, ...] = (375, 800)) -> dict[str, Any]:
    """Load ``email_html`` at each width; return per-width measurements keyed ``"w375"``…"""
    chromium = need_chromium()  # skips without it (README lists it; .ci/run installs it)
    frames = "".join(
        f'<iframe id="w{w}" style="width:{w}px;height:3000px;border:0;display:block" '
        f'srcdoc="{html.escape(email_html, quote=True)}"></iframe>'
        for w in widths
    )
    page = (
        f'<!DOCTYPE html><html><body style="margin:0">{frames}'
        f'<pre id="out"></pre>{_PROBE}</body></html>'
    )
    with tempfile.TemporaryDirectory(prefix="bulletin-chromium-") as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(page, encoding="utf-8")
        result = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--blink-settings=imagesEnabled=true",
                f"--user-data-dir={tmp}/profile",
                "--window-size=1200,900",
                "--virtual-time-budget=10000",
                "--dump-dom",
                path.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    match = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)
    assert match and match.group(1), f"Chromium produced no measurements: {result.stderr[-2000:]}"
    data: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return data
