"""The composer's inspector: the right-hand panel editing the selected block or the newsletter.

:class:`~widgets.inspector.inspector.Inspector` picks the panel; each block type's panel is a
:class:`~widgets.inspector.base.BlockPanel`.
"""
