"""The README's library example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_library_example_runs() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using `core` as a library", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None, "the README lost its library example"
    exec(compile(code.group(1), "README.md", "exec"), {"__name__": "readme_example"})
