"""Execute notebooks headless (papermill) and export them to HTML (nbconvert)."""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def execute_notebook(notebook: str | Path, reports_dir: str | Path, parameters: dict[str, Any] | None = None,
                     timeout: int = 600) -> Path:
    """Run one notebook (in its own folder) and write ``<reports_dir>/<name>.html``; returns its path.

    Parameters go to the cell tagged ``parameters`` (papermill). Text in outputs
    is escaped by nbconvert's HTML exporter; the page is written atomically.
    """
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    notebook = Path(notebook).resolve()
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / notebook.name
        papermill.execute_notebook(str(notebook), str(executed), parameters=parameters or {},
                                   cwd=str(notebook.parent), kernel_name="python3", progress_bar=False,
                                   request_save_on_cell_execute=False, execution_timeout=timeout)
        body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.read(executed, as_version=4))
    target = reports_dir / f"{notebook.stem}.html"
    fd, tmp_path = tempfile.mkstemp(dir=reports_dir, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
    os.chmod(tmp_path, 0o644)  # mkstemp makes 0600; a report is for sharing
    os.replace(tmp_path, target)
    return target


def execute_notebooks(notebooks_dir: str | Path, reports_dir: str | Path,
                      parameters: dict[str, dict[str, Any]] | None = None) -> list[Path]:
    """Execute every ``*.ipynb`` in a folder (sorted) into HTML reports; returns their paths."""
    from tqdm.auto import tqdm

    paths = sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if not p.name.startswith("."))
    written = []
    for path in tqdm(paths, desc="notebooks", unit="notebook"):
        written.append(execute_notebook(path, reports_dir, (parameters or {}).get(path.stem)))
    return written
