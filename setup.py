"""Build hook: the Kazakh and Russian catalogues compiled into the wheel.

Only the `.po` sources are in git (`make messages` compiles them in a checkout); a
wheel built without this would show Kazakh and Russian readers English interface
strings. Babel (already a runtime dependency) compiles them while the wheel is
built, so no system gettext is needed. Everything else is in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for source in Path("aqparat/locale").glob("*/LC_MESSAGES/*.po"):
            target = Path(self.build_lib) / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as po, target.open("wb") as mo:
                write_mo(mo, read_po(po))


setup(cmdclass={"build_py": BuildWithCatalogues})
