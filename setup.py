"""What pyproject.toml cannot say: the wheel carries the top-level ``scenarios/``.

The shipped scenarios stay at the top of the repository, where trainers find them; the
wheel installs them as ``tte/scenarios/*.yaml``. ``tte.core.scenario.find`` looks in both
places, so a checkout, an editable install and a wheel all know the shipped names.
Everything else (metadata, dependencies, package data) is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["tte", "tte.*"]), "tte.scenarios"],
    package_dir={"tte.scenarios": "scenarios"},
)
