"""Command line: a thin layer over the package's functions. `toolkit --help` lists the commands."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from .ingest import MAX_ARTICLE_BYTES
from .machine import usable_cores


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not verbose:  # problems are listed once, with a summary, by _report_problems
        for name in ("toolkit.ingest", "trafilatura", "htmldate"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="toolkit")
def main() -> None:
    """Read war reporting into tidy, evidence-backed tables.

    \b
    Examples:
      toolkit parse data/articles -o data/processed
      toolkit facts ../shared/eval/dev/articles -o build/facts
      toolkit demo
    """


_paths = click.argument("paths", nargs=-1, required=True)
_max_bytes = click.option("--max-bytes", type=int, default=MAX_ARTICLE_BYTES, show_default=True,
                          help="Skip articles whose text is larger than this many bytes.")
_strict = click.option("--strict", is_flag=True, help="Exit with status 3 if any file or row was skipped.")
_verbose = click.option("-v", "--verbose", is_flag=True, help="Log every warning.")


@main.command()
@_paths
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Dataset folder to create or update.")
@click.option("-w", "--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: one per core this process may use).")
@click.option("--full", is_flag=True, help="Reparse every article, not only new or changed ones.")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
@click.option("--csv", "csv_export", is_flag=True, help="Also write OUT/csv/<table>.csv (copies of every table).")
@_max_bytes
@_strict
@_verbose
def parse(paths: tuple[str, ...], out_dir: str, workers: int, full: bool, no_progress: bool, csv_export: bool,
          max_bytes: int, strict: bool, verbose: bool) -> None:
    """Parse articles (files, folders, globs) into the dataset at OUT.

    Example: toolkit parse data/articles -o data/processed --workers 2
    """
    from .corpus import build_dataset
    from .lock import DatasetLockedError

    _setup_logging(verbose)
    try:
        summary = build_dataset(paths, out_dir, workers=workers or usable_cores(), progress=not no_progress,
                                max_bytes=max_bytes,
                                full=full, csv_export=csv_export)
    except (FileNotFoundError, DatasetLockedError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(summary))
    _report_problems(summary.problems)
    if strict and summary.skipped:
        sys.exit(3)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the reading reports it


@main.command()
@_paths
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for one <article_id>.json per article.")
@click.option("-w", "--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: one per core this process may use).")
@_max_bytes
@_strict
@_verbose
def facts(paths: tuple[str, ...], out_dir: str, workers: int, max_bytes: int, strict: bool, verbose: bool) -> None:
    """Write one facts JSON per article, in the form of FACTS.md (what the scorer reads).

    Example: toolkit facts ../shared/eval/dev/articles -o build/facts
    """
    from tqdm.auto import tqdm

    from .extract import extract, to_facts
    from .ingest import iter_paths, read_articles
    from .records import Article, Extraction, Problem

    _setup_logging(verbose)
    workers = workers or usable_cores()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    problems: list[Problem] = []
    try:  # the bar counts bytes of the input files, an article's text as it is written (so it has an ETA)
        total = sum(_file_size(path) for path in iter_paths(paths))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    bar = tqdm(desc="facts", unit="B", unit_scale=True, total=total)

    def write(extractions: list[Extraction]) -> None:
        for extraction in extractions:
            target = out / f"{extraction.article.article_id}.json"
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(json.dumps(to_facts(extraction), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            tmp.replace(target)
            bar.update(min(len(extraction.article.text.encode("utf-8", "replace")), bar.total - bar.n))

    written = 0
    try:
        chunk: list[Article] = []
        for article in read_articles(paths, problems, max_bytes=max_bytes):
            if workers == 1:
                write([extract(article)])
            else:  # FACTS_CHUNK articles at a time, extracted in parallel (memory holds one chunk)
                chunk.append(article)
                if len(chunk) == FACTS_CHUNK:
                    write(_extract_all(chunk, workers))
                    chunk = []
            written += 1
        if chunk:
            write(_extract_all(chunk, workers))
        bar.update(bar.total - bar.n)  # what is not article text: markup, metadata, skipped files
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bar.close()
    skipped = sum(1 for p in problems if p.severity == "skipped")
    click.echo(f"{written} facts files in {out}; {skipped} skipped")
    _report_problems(problems)
    if strict and skipped:
        sys.exit(3)


#: ``toolkit facts --workers N`` (N > 1) extracts this many articles at a time in parallel
FACTS_CHUNK = 500


def _extract_all(articles: list[Any], workers: int) -> list[Any]:
    from .corpus import extract_all

    return extract_all(articles, workers=workers, progress=False)


@main.command()
@click.option("--notebooks", "notebooks_dir", default="notebooks", show_default=True, type=click.Path(exists=True))
@click.option("--reports", "reports_dir", default="reports", show_default=True, type=click.Path())
@click.option("--articles", "articles_dir", default=None, type=click.Path(exists=True),
              help="New articles to fold in: runs 04_new_articles with this folder.")
def report(notebooks_dir: str, reports_dir: str, articles_dir: str | None) -> None:
    """Execute the notebooks headless and write HTML reports.

    Example: toolkit report --articles my_new_articles/
    """
    from .report import execute_notebook, execute_notebooks

    if articles_dir:
        nb = sorted(Path(notebooks_dir).glob("04_*.ipynb"))
        if not nb:
            raise click.ClickException(f"no 04_*.ipynb notebook in {notebooks_dir}")
        path = execute_notebook(nb[0], reports_dir, {"NEW_ARTICLES": str(Path(articles_dir).resolve())})
        click.echo(f"report: {path}")
        return
    for path in execute_notebooks(notebooks_dir, reports_dir):
        click.echo(f"report: {path}")


@main.command()
@click.option("--articles", "articles_dir", default="data/articles", show_default=True, type=click.Path(exists=True))
@click.option("--out", "out_dir", default="data/processed", show_default=True, type=click.Path())
@click.option("--notebooks", "notebooks_dir", default="notebooks", show_default=True, type=click.Path(exists=True))
@click.option("--reports", "reports_dir", default="reports", show_default=True, type=click.Path())
@click.option("-w", "--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: one per core this process may use).")
def demo(articles_dir: str, out_dir: str, notebooks_dir: str, reports_dir: str, workers: int) -> None:
    """The main job: parse the bundled articles, build the tables, execute the notebooks."""
    from .corpus import build_dataset
    from .report import execute_notebooks

    _setup_logging(False)
    summary = build_dataset([articles_dir], out_dir, workers=workers or usable_cores(), csv_export=True)
    reports = execute_notebooks(notebooks_dir, reports_dir)
    click.echo("")
    click.echo(str(summary))
    _report_problems(summary.problems)
    click.echo(f"tables: {Path(out_dir) / 'csv'} (CSV), {out_dir} (Parquet; toolkit.load_dataset)")
    click.echo(f"reports: {len(reports)} HTML files in {reports_dir}/")


@main.command()
@click.option("--dataset", "dataset_dir", type=click.Path(exists=True, file_okay=False), required=True,
              help="Dataset folder written by `toolkit parse`.")
@click.option("--official", "official_csv", type=click.Path(exists=True, dir_okay=False), required=True,
              help="Official figures CSV (missile_attacks_daily.csv format).")
@click.option("-o", "--out", "out_csv", type=click.Path(dir_okay=False), required=True, help="Comparison CSV to write.")
@click.option("--rule", type=click.Choice(["official_first", "conservative"]), default="official_first",
              show_default=True, help="How disagreeing reports of one attack are reconciled.")
@click.option("--all-commands", is_flag=True, help="Also sum regional commands' rows (default: nationwide reports).")
def official(dataset_dir: str, official_csv: str, out_csv: str, rule: str, all_commands: bool) -> None:
    """Compare reported figures with the official Air Force figures, per attack and weapon class.

    Example: toolkit official --dataset data/processed --official missile_attacks_daily.csv -o build/official.csv
    """
    from .official import OfficialFormatError, file_sha256, write_comparison

    try:
        comparison, unmapped = write_comparison(dataset_dir, official_csv, out_csv, rule=rule,
                                                national_only=not all_commands)
    except OfficialFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(comparison)} rows ({comparison['attack_date'].nunique()} attacks) in {out_csv}; "
               f"official file sha256 {file_sha256(official_csv)}")
    for row in unmapped.itertuples():
        click.echo(f"unmapped model: {row.model!r} ({row.n_rows} rows)", err=True)


@main.command()
def schema() -> None:
    """Print the tables' schema (column, type, meaning) as Markdown."""
    from . import schema as schema_module

    click.echo(schema_module.markdown())


def _report_problems(problems: list) -> None:
    for problem in problems:
        click.echo(f"{problem.severity}: {problem}", err=True)
    reasons = skip_reasons(problems)
    if reasons:
        click.echo("skipped, by reason: " + "; ".join(f"{n} {why}" for why, n in reasons.items()), err=True)


def skip_reasons(problems: list) -> dict[str, int]:
    """Skipped files/rows counted by kind of reason, most frequent first.

    >>> from toolkit.records import Problem
    >>> skip_reasons([Problem("a.txt", "binary file (PNG image), not text"), Problem("b.jsonl", "invalid JSON: x", 2)])
    {'binary file, not text': 1, 'invalid JSON': 1}
    """
    import re
    from collections import Counter

    kinds: Counter[str] = Counter()
    for problem in problems:
        if problem.severity != "skipped":
            continue
        kind = re.split(r"[:;]", re.sub(r"\s*\([^)]*\)", "", problem.reason), maxsplit=1)[0]  # no details
        kinds[re.sub(r"\d[\d,.]*\d|\d", "N", kind).strip()] += 1
    return dict(kinds.most_common())


if __name__ == "__main__":  # pragma: no cover
    main()
