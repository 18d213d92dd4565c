"""The report for a terminal: a few compact rich tables that fit 100 columns.

Plain text (no colour codes) when the output is not a terminal, so cron
mail and logs stay readable. The path of report.html comes last.
"""

from __future__ import annotations

import io
from pathlib import Path

from pipeline.core.paths import display
from pipeline.core.progress import human_bytes
from pipeline.report.model import Report, below_root, enrich_notice

__all__ = ["render_text"]

WIDTH = 100
_TOP = 6


def render_text(report: Report, json_path: Path, html_path: Path, *, color: bool = False) -> str:
    from rich.console import Console
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, width=WIDTH, force_terminal=color, no_color=not color,
                      highlight=False, emoji=False)
    ident = report.identification
    media = ident.identified + ident.needs_review + ident.unidentified
    console.print(f"report: {report.totals.files:,} files, {human_bytes(report.totals.bytes)}; "
                  f"media {media:,}: {ident.identified:,} identified, "
                  f"{ident.needs_review:,} need review, {ident.unidentified:,} unidentified")
    console.print(enrich_notice(report))

    kinds = Table(title=None, box=None, pad_edge=False, show_edge=False)
    kinds.add_column("kind")
    kinds.add_column("files", justify="right")
    kinds.add_column("size", justify="right")
    for name, totals in report.kinds.items():
        kinds.add_row(name, f"{totals.files:,}", human_bytes(totals.bytes))

    dist = Table(box=None, pad_edge=False, show_edge=False)
    dist.add_column("distribution")
    dist.add_column(f"top {_TOP}", overflow="ellipsis", no_wrap=True, max_width=60)
    for name, counts in report.distributions.items():
        if counts:
            top = ", ".join(f"{k} {v:,}" for k, v in list(counts.items())[:_TOP])
            dist.add_row(name.replace("_", " "), top)

    grid = Table.grid(padding=(0, 4))
    grid.add_row(kinds, dist)
    console.print(grid)

    findings = Table(box=None, pad_edge=False, show_edge=False)
    findings.add_column("finding", no_wrap=True)
    findings.add_column("count", justify="right", no_wrap=True)
    findings.add_column("example", overflow="ellipsis", no_wrap=True, max_width=56)
    for group in report.errors:
        example = display(below_root(group.files[0], report.roots)) if group.files \
            else group.message
        findings.add_row(f"{group.stage} error: {group.code}", f"{group.count:,}", example)
    same_content = [g for g in report.duplicates if g.kind == "same content"]
    same_work = [g for g in report.duplicates if g.kind == "same work"]
    if same_content:
        findings.add_row("duplicate files (same content)", f"{len(same_content):,}",
                         display(below_root(same_content[0].files[0], report.roots)))
    if same_work:
        findings.add_row("works in several files", f"{len(same_work):,}", same_work[0].key)
    for role, count in report.extras_by_role.items():
        plural = role if role.endswith("s") else f"{role}s"
        findings.add_row(f"{plural} found", f"{count:,}", "")
    if report.missing_episodes:
        first = report.missing_episodes[0]
        findings.add_row("seasons with gaps", f"{len(report.missing_episodes):,}",
                         f"{first.series} S{first.season:02d}: missing "
                         + ", ".join(str(e) for e in first.missing[:8]))
    for rule in report.naming_issues:
        example = display(below_root(rule.files[0].path, report.roots)) if rule.files else ""
        findings.add_row(f"naming: {rule.rule}", f"{rule.count:,}", example)
    if findings.row_count:
        console.print(findings)
    console.print(f"report.json: {display(str(json_path))}")
    console.print(f"report.html: {display(str(html_path))}")
    # rich pads table rows to the full width; trailing blanks only clutter logs.
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"
