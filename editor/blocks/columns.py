"""Columns: two or three columns side by side, each holding blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup

from editor.blocks.base import (
    CHILD_PAD,
    PAD,
    Block,
    BlockType,
    DocumentError,
    Dump,
    Load,
    as_dict,
    as_list,
)
from editor.i18n import _

if TYPE_CHECKING:
    from editor.render.context import RenderContext

COLUMN_RATIOS: dict[str, tuple[int, ...]] = {
    "50-50": (50, 50),
    "33-67": (33, 67),
    "67-33": (67, 33),
    "25-75": (25, 75),
    "75-25": (75, 25),
    "33-33-33": (33, 34, 33),
    "25-50-25": (25, 50, 25),
}


@dataclass
class Column:
    blocks: list[Block] = field(default_factory=list)

    def validate(self) -> None:
        for block in self.blocks:
            if not block.IN_COLUMNS:
                raise DocumentError(_("A column cannot hold columns or a footer."))
            block.validate()


@dataclass
class ColumnsBlock(Block):
    """Two or three columns side by side; they stack on phones unless ``stack_on_mobile`` is off."""

    TYPE: ClassVar[str] = "columns"
    IN_COLUMNS: ClassVar[bool] = False
    columns: list[Column] = field(default_factory=lambda: [Column(), Column()])
    ratio: str = "50-50"
    stack_on_mobile: bool = True

    def validate(self) -> None:
        if self.ratio not in COLUMN_RATIOS:
            raise DocumentError(_('Unknown column ratio "{ratio}".').format(ratio=self.ratio))
        if len(self.columns) != self.expected:
            raise DocumentError(
                _(
                    'Ratio "{ratio}" needs {expected} columns, the block has {columns_count}.'
                ).format(ratio=self.ratio, expected=self.expected, columns_count=len(self.columns))
            )
        for column in self.columns:
            column.validate()

    def children(self) -> list[Block]:
        return [block for column in self.columns for block in column.blocks]

    @property
    def widths(self) -> tuple[int, ...]:
        return COLUMN_RATIOS[self.ratio]

    @property
    def expected(self) -> int:
        return len(COLUMN_RATIOS[self.ratio])


def _view(block: ColumnsBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    inner = width + 2 * PAD - 2 * (PAD - CHILD_PAD)
    columns = []
    for percent, column in zip(block.widths, block.columns, strict=True):
        col_width = inner * percent // 100
        child_width = col_width - 2 * CHILD_PAD
        body = "\n".join(ctx.draw(child, child_width, CHILD_PAD) for child in column.blocks)
        html_body = Markup(body)  # noqa: S704 (rendered by our autoescaped templates)
        columns.append({"width": col_width, "percent": percent, "html": html_body})
    return {
        "b": {"align": "left", "stack_on_mobile": block.stack_on_mobile},
        "columns": columns,
        "inner_pad": CHILD_PAD,
    }


def _text(block: ColumnsBlock, ctx: RenderContext) -> str:
    parts = [ctx.text(child) for child in block.children()]
    return "\n\n".join(p for p in parts if p.strip())


def _summary(block: ColumnsBlock) -> str:
    return block.ratio.replace("-", " / ")


def _columns_to_json(columns: list[Column], dump: Dump) -> list[dict[str, Any]]:
    return [{"blocks": [dump(b) for b in c.blocks]} for c in columns]


def _columns_from_json(value: Any, load: Load) -> list[Column]:
    return [
        Column(
            blocks=[
                load(b) for b in as_list(as_dict(c, "column").get("blocks", []), "column.blocks")
            ]
        )
        for c in as_list(value, "columns")
    ]


BLOCK_TYPE = BlockType(
    name="columns",
    cls=ColumnsBlock,
    label=lambda: _("Columns"),
    view=_view,
    text=_text,
    summary=_summary,
    to_json={"columns": _columns_to_json},
    from_json={"columns": _columns_from_json},
)
