"""The spam score and deliverability checks: pure Python rules over a newsletter, an HTML page
or an ``.eml``, each producing the same :class:`~editor.findings.Finding` the renderer does."""
