"""Every spam rule, registered in one place: importing this package declares them all, in the
order below (the order only matters for ties in the panel).

One module per family, as SpamAssassin splits its rule files: the subject line, the content,
images, links, structure and headers, phishing patterns, and the sender.
"""

from __future__ import annotations

import importlib

FAMILIES = ("subject", "content", "images", "links", "structure", "phishing", "sender")

for _family in FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")
