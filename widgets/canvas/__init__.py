"""The composer's canvas: the newsletter drawn block by block, to select, drag and drop.

- :mod:`~widgets.canvas.view`: :class:`Canvas`, the widget (drawing, selection, drops);
- :mod:`~widgets.canvas.cards`: one card per block, a drawer per block type;
- :mod:`~widgets.canvas.drop`: where a drop lands, a pure function of the cards' geometry;
- :mod:`~widgets.canvas.actions`: move, duplicate, delete, cut, copy, paste as QActions.
"""

from widgets.canvas.actions import BlockActions
from widgets.canvas.view import Canvas

__all__ = ["BlockActions", "Canvas"]
