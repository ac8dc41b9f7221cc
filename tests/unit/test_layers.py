"""The layer contract in pyproject.toml holds, and it would catch an import up the house.

Each runs the real ``lint-imports`` (import-linter) in a subprocess, with no cache: on this
checkout, then on copies of ``tte/`` where the server imports the CLI or core imports asyncio.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The `lint-imports` command, run by this interpreter (whichever venv it is in).
LINT = (sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()")


def lint(project: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on `project` (its pyproject.toml, its tte/ first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(project), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [*LINT, "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_layers_and_the_pure_core_hold() -> None:
    run = lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "layers: cli/host -> ssh -> client -> report -> server" in run.stdout
    assert "Contracts: 3 kept, 0 broken." in run.stdout


def test_the_server_importing_the_cli_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tte", tmp_path / "tte", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "tte" / "server" / "upward.py").write_text("from tte.cli import main\n")
    run = lint(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Contracts: 2 kept, 1 broken." in run.stdout
    assert "tte.server.upward -> tte.cli" in run.stdout


def test_core_importing_asyncio_breaks_the_pure_core(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tte", tmp_path / "tte", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "tte" / "core" / "waits.py").write_text("import asyncio\n")
    run = lint(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "tte.core.waits -> asyncio" in run.stdout


def test_the_translator_importing_core_breaks_the_contract(tmp_path: Path) -> None:
    """tte.i18n is the lowest layer: every other layer, core included, may use it."""
    shutil.copytree(ROOT / "tte", tmp_path / "tte", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "tte" / "i18n" / "upward.py").write_text("from tte.core import text\n")
    run = lint(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "tte.i18n.upward -> tte.core" in run.stdout
