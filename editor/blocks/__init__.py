"""Block types: one module per type, gathered in :mod:`editor.blocks.registry`."""
