"""The wheel carries what an installation needs outside the checkout: every module, the
stylesheets and the shipped scenarios (repository ``scenarios/`` → ``tte/scenarios/``).

The wheel is built offline (no index, no build isolation: the venv's setuptools) from a
copy of the sources, so the checkout gets no ``build/`` directory.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_INPUTS = ("tte", "scenarios", "pyproject.toml", "setup.py", "README.md")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    src = tmp_path_factory.mktemp("src")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index"]
    cmd += ["--no-build-isolation", "--wheel-dir", str(out), str(src)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    (whl,) = out.glob("tte-*.whl")
    return zipfile.ZipFile(whl)


def test_the_wheel_ships_every_scenario_of_the_repository(wheel: zipfile.ZipFile) -> None:
    shipped = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert [p.name for p in shipped] == [
        "bucharest-preservation-mla.yaml",
        "eu-e-evidence-2026.yaml",
        "lisbon-ransomware-2ap.yaml",
        "tutorial.yaml",
    ]
    for path in shipped:
        assert wheel.read(f"tte/scenarios/{path.name}") == path.read_bytes()


def test_the_wheel_ships_every_module_and_stylesheet(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for pattern in ("*.py", "*.tcss"):
        for path in (ROOT / "tte").rglob(pattern):
            assert path.relative_to(ROOT).as_posix() in names


def test_the_wheel_installs_the_tte_command(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "tte = tte.cli:main" in wheel.read(entry_points).decode()


def test_the_wheel_ships_every_compiled_catalogue_and_the_glossary(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    catalogues = sorted((ROOT / "tte/locale").glob("*/LC_MESSAGES/tte.mo"))
    assert [p.parent.parent.name for p in catalogues] == ["fr"]
    for path in catalogues:
        assert wheel.read(path.relative_to(ROOT).as_posix()) == path.read_bytes()
    assert "tte/locale/glossary.yaml" in names
