"""The repository keeps its promises: env file in step with pyproject, README current, data files valid."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from toolkit import schema


def _pyproject(root):
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))


def test_packaging_environment_yml_mirrors_pyproject(root):
    project = _pyproject(root)["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip
    assert set(p for p in pip if p != "-e .") == wanted


def test_packaging_dependencies_are_pinned(root):
    project = _pyproject(root)["project"]
    for dep in list(project["dependencies"]) + list(project["optional-dependencies"]["dev"]):
        assert re.match(r"^[A-Za-z0-9_.\-\[\],]+==[0-9][\w.]*$", dep), f"not pinned: {dep}"


def test_packaging_readme_documents_every_command(root):
    from click.testing import CliRunner

    from toolkit.cli import main

    readme = (root / "README.md").read_text(encoding="utf-8")
    for command in main.commands:
        assert f"toolkit {command}" in readme, f"README does not document `toolkit {command}`"
    assert "make demo" in readme and "make test" in readme
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0


def test_packaging_readme_schema_is_current(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- schema:start -->")[1].split("<!-- schema:end -->")[0]
    assert block.strip() == schema.markdown().strip(), "run `make docs` to refresh the README schema"


def test_packaging_ci_runs_the_readme_test_command(root):
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_packaging_import_is_light():
    code = "import sys, toolkit; print(','.join(m for m in ('pandas', 'dateparser', 'trafilatura') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_packaging_sources_compile_without_warnings(root):
    """No invalid escape sequences ("\\d" in a plain docstring): a SyntaxWarning from Python 3.12 on."""
    import warnings

    files = [p for folder in ("src", "tests", "benchmarks", "scripts") for p in (root / folder).rglob("*.py")]
    assert files
    for path in files:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
