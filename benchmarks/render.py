"""Rendering benchmark: cold render, re-render after one edit, and mrml (Rust MJML) alongside.

Run: ``uv run python benchmarks/render.py``. Prints medians in milliseconds and the ratios.
The newsletter has 12 blocks and renders to about 25 KB of HTML; the MJML document describes
the same content so mrml's figure is the reference for a compiled engine doing the same job.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import mrml
from PIL import Image

from editor.document import (
    ButtonBlock,
    Column,
    ColumnsBlock,
    DividerBlock,
    FooterBlock,
    HeadingBlock,
    ImageBlock,
    Newsletter,
    Sender,
    SocialBlock,
    SocialLink,
    SpacerBlock,
    TextBlock,
)
from editor.render.engine import Renderer

REPEAT = 41
PARA = (
    "Chaque matin, notre équipe pétrit la pâte à la main et la laisse lever longuement "
    "pour un pain plus savoureux. <strong>Nouveau :</strong> le pain au petit épeautre, "
    'disponible le samedi. <a href="https://boulangerie.example/epeautre">En savoir plus</a>. '
)


def image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), (210, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


IMG = "images/" + "e" * 64 + ".png"


def newsletter() -> Newsletter:
    text = f"<p>Bonjour {{{{ first_name | default('ami') }}}},</p><p>{PARA * 12}</p>"
    return Newsletter(
        subject="Les nouvelles de novembre",
        preheader="Pain d'épeautre, atelier du samedi et calendrier de l'Avent",
        sender=Sender(
            "Boulangerie Martin", "news@boulangerie.example", "bonjour@boulangerie.example"
        ),
        blocks=[
            ImageBlock(src=IMG, alt="La boutique au petit matin"),
            HeadingBlock(text="Les nouvelles de novembre", level=1),
            TextBlock(html=text),
            ButtonBlock(label="Commander en ligne", url="https://boulangerie.example/commande"),
            DividerBlock(),
            ColumnsBlock(
                columns=[
                    Column(
                        [
                            ImageBlock(src=IMG, alt="Pain d'épeautre"),
                            TextBlock(html=f"<p>{PARA}</p>"),
                        ]
                    ),
                    Column([ImageBlock(src=IMG, alt="Atelier"), TextBlock(html=f"<p>{PARA}</p>")]),
                ]
            ),
            HeadingBlock(text="L'atelier du samedi", level=2),
            TextBlock(
                html=f"<p>{PARA * 12}</p><ul><li>Pain</li><li>Brioche</li><li>Viennoiseries</li></ul>"
            ),
            SpacerBlock(height=16),
            TextBlock(html=f"<p>{PARA * 10}</p>"),
            SocialBlock(
                links=[
                    SocialLink("facebook", "https://facebook.com/b"),
                    SocialLink("instagram", "https://instagram.com/b"),
                ]
            ),
            FooterBlock(company="Boulangerie Martin", address="12 rue des Lilas\n69003 Lyon"),
        ],
    )


MJML = f"""<mjml><mj-head><mj-preview>Pain d'épeautre, atelier du samedi</mj-preview></mj-head><mj-body width="600px">
<mj-section><mj-column><mj-image src="https://cdn.example/shop.png" alt="La boutique"/></mj-column></mj-section>
<mj-section><mj-column><mj-text font-size="28px" font-family="Georgia">Les nouvelles de novembre</mj-text>
<mj-text>Bonjour {{{{ first_name }}}},<br/>{PARA * 12}</mj-text>
<mj-button href="https://boulangerie.example/commande">Commander en ligne</mj-button>
<mj-divider border-width="1px" border-color="#e5e7eb"/></mj-column></mj-section>
<mj-section><mj-column><mj-image src="https://cdn.example/a.png" alt="Pain"/><mj-text>{PARA}</mj-text></mj-column>
<mj-column><mj-image src="https://cdn.example/b.png" alt="Atelier"/><mj-text>{PARA}</mj-text></mj-column></mj-section>
<mj-section><mj-column><mj-text font-size="22px">L'atelier du samedi</mj-text>
<mj-text>{PARA * 12}<ul><li>Pain</li><li>Brioche</li><li>Viennoiseries</li></ul></mj-text>
<mj-spacer height="16px"/><mj-text>{PARA * 10}</mj-text>
<mj-social><mj-social-element name="facebook" href="https://facebook.com/b"/><mj-social-element name="instagram" href="https://instagram.com/b"/></mj-social>
<mj-text font-size="13px">Boulangerie Martin<br/>12 rue des Lilas, 69003 Lyon<br/><a href="#">Se désabonner</a></mj-text>
</mj-column></mj-section></mj-body></mjml>"""


def median_ms(func: Callable[[], object], repeat: int = REPEAT) -> float:
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    images = {IMG: image()}
    doc = newsletter()

    def cold() -> None:
        rendered = Renderer(images).render(doc)
        rendered.html_for()
        rendered.text_for()

    warm = Renderer(images)
    warm.render(doc)
    edited = doc.blocks[2]
    assert isinstance(edited, TextBlock)
    counter = iter(range(10**9))

    def one_edit() -> None:
        edited.html = (
            f"<p>Bonjour {{{{ first_name }}}}, édition n° {next(counter)}</p><p>{PARA * 12}</p>"
        )
        rendered = warm.render(doc)
        rendered.html_for()
        rendered.text_for()

    def reference() -> None:
        mrml.to_html(MJML)

    size = len(Renderer(images).render(doc).html_for().encode())
    mjml_size = len(mrml.to_html(MJML).content.encode())
    t_cold, t_edit, t_mrml = median_ms(cold), median_ms(one_edit), median_ms(reference)
    print(
        f"newsletter: {len(doc.blocks)} blocks, {size / 1024:.1f} KB of HTML "
        f"(mrml: {mjml_size / 1024:.1f} KB)"
    )
    print(f"cold full render (HTML + text)     median {t_cold:7.2f} ms   target <= 100 ms")
    print(f"re-render after one text edit      median {t_edit:7.2f} ms   target <=  10 ms")
    print(f"mrml (Rust MJML) same content      median {t_mrml:7.2f} ms")
    print(
        f"ratios: cold / mrml = {t_cold / t_mrml:.1f}x, one edit / mrml = {t_edit / t_mrml:.1f}x, "
        f"cold / one edit = {t_cold / t_edit:.1f}x"
    )


if __name__ == "__main__":
    main()
