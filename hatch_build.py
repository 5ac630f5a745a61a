"""Wheel build hook: ship each ``resources/locale/*/LC_MESSAGES/*.po`` compiled to ``.mo``.

The app compiles a missing or stale ``.mo`` by itself on first use (into the data folder when
the install is read-only), so this only saves that step on the user's machine. Enabled by
``[tool.hatch.build.targets.wheel.hooks.custom]`` (with ``dependencies = ["babel>=2.14"]``) in
``pyproject.toml``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        # By path: the build environment has Babel (the hook's dependency), not the app's others.
        spec = importlib.util.spec_from_file_location("_bulletin_i18n", root / "editor" / "i18n.py")
        assert spec is not None and spec.loader is not None
        i18n = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(i18n)
        out = Path(tempfile.mkdtemp(prefix="bulletin-mo-"))
        for po in sorted((root / "resources" / "locale").glob("*/LC_MESSAGES/*.po")):
            source = po.read_bytes()
            mo = out / po.relative_to(root).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            # The hash makes the shipped .mo count as fresh (see editor.i18n.compiled).
            mo.write_bytes(i18n.compile_po(source, hashlib.sha256(source).hexdigest()))
            build_data["force_include"][str(mo)] = mo.relative_to(out).as_posix()
