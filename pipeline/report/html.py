"""report.html: one self-contained page from a ``Report`` (schema jforg.report/1).

Contract:

- ``render_html(report)`` is pure: the same Report gives the same bytes
  (dicts are shown in a fixed order; nothing reads the clock or the disk).
- The page makes no request to any address, not even file://: CSS, SVG
  charts and the small sort/filter script are inline, the favicon is
  ``data:``, and a Content-Security-Policy forbids everything else, so it
  opens the same from a NAS share, from file:// or offline.
- Every string from the library or an API (paths, titles, codecs, messages,
  dictionary keys) goes through ``_text`` or ``_path``, which escape it for
  HTML with quotes. Markup is only ever built from those results and from
  this module's constants; library text never enters the ``<script>``.
  ``_Html`` marks a string that is already safe markup, so a table cell
  knows whether to escape; nothing else is trusted.
- Paths are shown below their library root (``model.below_root``) with
  ``paths.display``, so undecodable bytes read ``\\xNN`` and a name with a
  newline still shows as one line; the full path is the element's title.
- Every section renders for an empty library and for a report that holds
  only errors; an empty section says so in one line, and a list capped by
  the report stage says how many entries report.json left out.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Literal

from pipeline.core.paths import display
from pipeline.report.assets import CSS, SCRIPT
from pipeline.report.model import (
    DuplicateGroup,
    ErrorGroup,
    PlanSummary,
    Report,
    below_root,
    enrich_notice,
)

__all__ = ["CSP", "render_html"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

# (key in report.distributions, chart title); keys not listed follow in name order.
CHARTS = (("container", "Container"), ("video_codec", "Video codec"),
          ("resolution", "Resolution"), ("hdr", "HDR format"), ("audio_codec", "Audio codec"),
          ("audio_language", "Audio languages"), ("subtitle_language", "Subtitle languages"))
SECTIONS = (("overview", "Overview"), ("charts", "Charts"), ("review", "Review"),
            ("unidentified", "Unidentified"), ("errors", "Errors"),
            ("duplicates", "Duplicates"), ("missing", "Missing episodes"),
            ("extras", "Extras"), ("plan", "Planned changes"), ("naming", "Naming issues"))
CHART_BARS = 10  # bars per chart; the rest are summed into one "other" bar
FILTER_ROWS = 8  # tables longer than this get a filter box
SCROLL_ROWS = 20  # ... and longer than this scroll inside a box of their own height
FILES_INLINE = 5  # file lists longer than this fold into <details>
_OTHER = ' class="other"'
_NUMERIC = ("num", "size", "pct", "year")

if "</" in SCRIPT or "</" in CSS:  # pragma: no cover - a guard on our own constants
    raise RuntimeError("report assets must not contain '</' (it would end the inline block)")


class _Html(str):
    """Markup built by this module from escaped parts: a table cell inserts it as is."""


# text: a short word (nowrap is fine); long: prose that may wrap; path: a wire path;
# num / size / pct / year: right-aligned, sorted by the exact value kept in data-sort.
ColKind = Literal["text", "long", "path", "num", "size", "pct", "year"]
Cell = str | int | float | None


def _text(value: object) -> str:
    # display() also makes any control character visible, so one value is one line.
    return html.escape(display(str(value)), quote=True)


def _path(wire: str) -> str:
    return html.escape(display(wire), quote=True)


def _short(wire: str, roots: Sequence[str]) -> str:
    """``wire`` below its library root, the full path in the title attribute."""
    return f'<span title="{_path(wire)}">{_path(below_root(wire, list(roots)))}</span>'


def _num(n: int) -> str:
    return f"{n:,}"


def _size(n: int) -> str:
    """Bytes in binary units: '0 B', '1.5 KiB' … 'TiB' (larger stays TiB)."""
    if n < 1024:
        return f"{n:,} B"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:,.1f} {unit}"


def _count(n: int, noun: str) -> str:
    return f"{_num(n)} {noun}" if n == 1 else f"{_num(n)} {noun}s"


def _stats(items: Sequence[tuple[str, str, str, str]]) -> str:
    """Big-number cards: (css class, value, label, small print), all our own text."""
    cards = "".join(f'<li class="{cls}"><b>{value}</b><span>{label}</span><small>{sub}</small>'
                    "</li>" for cls, value, label, sub in items)
    return f'<ul class="stats">{cards}</ul>'


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "0 %"


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    # Largest first, then by name: stable whatever order the dict was built in.
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _more(report: Report, name: str) -> str:
    n = report.truncated.get(name, 0)
    return f'<p class="more">… and {_num(n)} more (see report.json)</p>' if n > 0 else ""


def _empty(message: str) -> str:
    return f'<p class="empty">{message}</p>'


def _files(paths: Sequence[str], roots: Sequence[str], total: int | None = None) -> _Html:
    """A list of paths; long ones fold away, and a capped list says how many it lost."""
    items = "".join(f"<li>{_short(p, roots)}</li>" for p in paths)
    lost = (total - len(paths)) if total is not None else 0
    if lost > 0:
        items += f'<li class="more">… and {_num(lost)} more</li>'
    body = f'<ul class="bare">{items}</ul>'
    if len(paths) > FILES_INLINE:
        count = total if total is not None else len(paths)
        return _Html(f"<details><summary>{_num(count)} files</summary>{body}</details>")
    return _Html(body)


def _td(value: Cell, kind: ColKind, roots: Sequence[str]) -> str:
    """One cell: numbers keep their exact value for sorting; text is escaped unless _Html."""
    if value is None:
        return '<td class="empty">—</td>'
    if kind == "pct" and isinstance(value, float):
        return f'<td class="num" data-sort="{value:.4f}">{value:.1f} %</td>'
    if kind in _NUMERIC and isinstance(value, int):
        shown = _size(value) if kind == "size" else str(value) if kind == "year" else _num(value)
        return f'<td class="num" data-sort="{value}">{shown}</td>'
    if isinstance(value, _Html):  # a list of paths wraps like a path, other markup like prose
        return f'<td class="{"path" if kind == "path" else "wide"}">{value}</td>'
    if kind == "path":
        return f'<td class="path">{_short(str(value), roots)}</td>'
    return f'<td class="{"wide" if kind == "long" else "nw"}">{_text(value)}</td>'


def _th(name: str, kind: ColKind) -> str:
    if not name:  # a decorative column (the arrow between source and destination)
        return '<th scope="col"></th>'
    attrs = 'data-type="num" class="num"' if kind in _NUMERIC else 'data-type="text"'
    return f'<th scope="col" {attrs}><button type="button">{name}</button></th>'


def _table(tid: str, cols: Sequence[tuple[str, ColKind]],
           rows: Iterable[Sequence[Cell]], label: str, narrow: bool = False,
           roots: Sequence[str] = ()) -> str:
    """A sortable table in its own scroll box, with a filter box when it is long.

    ``narrow`` keeps a small name/number table from stretching across a wide screen;
    path columns show paths below ``roots``.
    """
    head = "".join(_th(name, kind) for name, kind in cols)
    body = ["<tr>" + "".join(_td(value, kind, roots)
                             for value, (_, kind) in zip(row, cols, strict=True))
            + "</tr>" for row in rows]
    box = ""
    if len(body) > FILTER_ROWS:
        box = (f'<div class="filter"><input type="search" data-filter="{tid}" '
               f'placeholder="Filter {label}…" aria-label="Filter {label}"><output></output></div>')
    wrap = " ".join(["tablewrap", *(["narrow"] if narrow else []),
                     *(["tall"] if len(body) > SCROLL_ROWS else [])])
    return (f'{box}<div class="{wrap}"><table class="sortable" id="{tid}">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def _chart(title: str, items: list[tuple[str, int]], as_size: bool = False) -> str:
    """A horizontal bar chart as inline SVG; the title, labels and values are escaped text."""
    title = _text(title)
    if not items:
        return f"<figure><figcaption>{title}</figcaption>{_empty('No data.')}</figure>"
    bars: list[tuple[str, int, bool]] = [(k, v, False) for k, v in items[:CHART_BARS]]
    if len(items) > CHART_BARS:
        rest = items[CHART_BARS:]
        bars.append((f"other ({len(rest)})", sum(v for _, v in rest), True))
    top = max(v for _, v, _ in bars) or 1
    row, label_w, bar_w = 22, 112, 176
    parts = []
    for i, (label, value, other) in enumerate(bars):
        y = i * row
        short = label if len(label) <= 16 else label[:15] + "…"
        width = round(bar_w * value / top, 1)
        shown = _size(value) if as_size else _num(value)
        parts.append(
            f'<g><title>{_text(label)}: {shown}</title>'
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_text(short)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(width, 1)}" height="14" rx="2"'
            f'{_OTHER if other else ""}></rect>'
            f'<text class="val" x="{label_w + width + 4}" y="{y + 15}">{shown}</text></g>')
    summary = ", ".join(f"{_text(k)} {_size(v) if as_size else _num(v)}" for k, v, _ in bars)
    return (f"<figure><figcaption>{title}</figcaption>"
            f'<svg viewBox="0 0 360 {len(bars) * row + 4}" role="img" '
            f'aria-label="{title}: {summary}">{"".join(parts)}</svg></figure>')


def _overview(r: Report) -> str:
    ident = r.identification
    media = ident.identified + ident.needs_review + ident.unidentified
    failed = sum(g.count for g in r.errors)
    of_media = f"of {_count(media, 'media file')}"
    stats = [("", _num(r.totals.files), "files", f"in {_count(len(r.roots), 'root')}"),
             ("", _size(r.totals.bytes), "total size", f"{_num(r.totals.bytes)} bytes"),
             ("", _num(ident.identified), "identified",
              f"{_pct(ident.identified, media)} {of_media}"),
             ("warn" if ident.needs_review else "", _num(ident.needs_review), "need review",
              f"{_pct(ident.needs_review, media)} {of_media}"),
             ("warn" if ident.unidentified else "", _num(ident.unidentified), "unidentified",
              f"{_pct(ident.unidentified, media)} {of_media}"),
             ("bad" if failed else "", _num(failed), "files with errors",
              f"in {_count(len(r.errors), 'group')}")]
    out = [_stats(stats)]
    asked = r.enrich_run is not None and ("asked" in r.enrich_run.providers.values()
                                          or (not r.enrich_run.providers and r.enriched))
    out.append(f'<p class="note{" ok" if asked else ""}">{_text(enrich_notice(r))}</p>')
    kinds = sorted(r.kinds.items(), key=lambda kv: (-kv[1].files, kv[0]))
    out.append("<h3>Files and bytes by kind</h3>")
    out.append(_table("t-kinds", [("Kind", "text"), ("Files", "num"), ("Size", "size"),
                                  ("Share", "pct")],
                      [(k, t.files, t.bytes, 100 * t.bytes / r.totals.bytes if r.totals.bytes
                        else None) for k, t in kinds],
                      "kinds", narrow=True) if kinds else _empty("No files scanned."))
    roots = "".join(f"<li><code>{_path(p)}</code></li>" for p in r.roots)
    out.append(f"<h3>Library roots</h3><ul>{roots}</ul>" if roots else "")
    # Lists the sections below do not announce themselves (a newer report stage).
    known = {"review", "unidentified", "errors", "duplicates", "missing_episodes", "extras",
             "sample_moves", "naming_issues"}
    other = [(k, n) for k, n in sorted(r.truncated.items()) if k not in known and n > 0]
    if other:
        listed = ", ".join(f"{_text(k)}: {_num(n)} more" for k, n in other)
        out.append(f'<p class="more">Also capped: {listed} (see report.json).</p>')
    return "".join(out)


def _charts(r: Report) -> str:
    dist = r.distributions
    names = [*CHARTS, *((k, k) for k in sorted(dist) if k not in dict(CHARTS))]
    kinds = r.kinds.items()
    figs = [_chart("Files by kind", _ranked({k: t.files for k, t in kinds})),
            _chart("Bytes by kind", _ranked({k: t.bytes for k, t in kinds}), as_size=True)]
    figs += [_chart(title, _ranked(dist.get(key, {}))) for key, title in names]
    return f'<div class="charts">{"".join(figs)}</div>'


def _review(r: Report) -> str:
    if not r.review:
        return _empty("No items need review.") + _more(r, "review")
    rows = [(i.path, i.kind, i.reason, i.title, i.year,
             _Html("<ul>" + "".join(f"<li>{_text(c)}</li>" for c in i.candidates) + "</ul>")
             if i.candidates else None) for i in r.review]
    return _table("t-review", [("File", "path"), ("Kind", "text"), ("Reason", "long"),
                               ("Title", "long"), ("Year", "year"), ("Candidates", "text")],
                  rows, "review items", roots=r.roots) + _more(r, "review")


def _unidentified(r: Report) -> str:
    if not r.unidentified:
        return _empty("No unidentified files.") + _more(r, "unidentified")
    return _table("t-unidentified", [("File", "path")], [(p,) for p in r.unidentified],
                  "unidentified files", roots=r.roots) + _more(r, "unidentified")


def _errors(groups: list[ErrorGroup], r: Report) -> str:
    if not groups:
        return _empty("No errors.") + _more(r, "errors")
    ordered = sorted(groups, key=lambda g: (g.stage, g.code))
    rows = [(g.stage, g.code, g.count, g.message, _files(g.files, r.roots, g.count))
            for g in ordered]
    return _table("t-errors", [("Stage", "text"), ("Code", "text"), ("Count", "num"),
                               ("Example message", "long"), ("Files", "path")],
                  rows, "errors") + _more(r, "errors")


def _duplicates(groups: list[DuplicateGroup], r: Report) -> str:
    if not groups:
        return _empty("No duplicates.") + _more(r, "duplicates")
    out = []
    for kind, title in (("same content", "Same content"), ("same work", "Same work")):
        mine = [g for g in groups if g.kind == kind]
        out.append(f"<h3>{title} ({_count(len(mine), 'group')})</h3>")
        out.append(_table(f"t-dup-{kind.replace(' ', '-')}",
                          [("Key", "long"), ("Files", "num"), ("Paths", "path")],
                          [(g.key, len(g.files), _files(g.files, r.roots)) for g in mine],
                          "duplicates")
                   if mine else _empty(f"No {kind} duplicates."))
    rest = [g for g in groups if g.kind not in ("same content", "same work")]
    if rest:  # a kind this renderer does not know yet: still show it
        out.append("<h3>Other</h3>" + _table(
            "t-dup-other", [("Kind", "text"), ("Key", "long"), ("Files", "num"),
                            ("Paths", "path")],
            [(g.kind, g.key, len(g.files), _files(g.files, r.roots)) for g in rest],
            "duplicates"))
    return "".join(out) + _more(r, "duplicates")


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> 'E01-E03, E05' (with an en dash)."""
    spans: list[list[int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"E{a:02d}" if a == b else f"E{a:02d}–E{b:02d}" for a, b in spans)


def _missing(r: Report) -> str:
    if not r.missing_episodes:
        return _empty("No missing episodes.") + _more(r, "missing_episodes")
    rows = [(m.series, m.season, len(m.missing), _ranges(m.missing), len(m.have))
            for m in r.missing_episodes]
    return _table("t-missing", [("Series", "long"), ("Season", "num"), ("Missing", "num"),
                                ("Episodes missing", "long"), ("Have", "num")],
                  rows, "series") + _more(r, "missing_episodes")


def _extras(r: Report) -> str:
    if not r.extras and not r.extras_by_role:
        return _empty("No extras found.") + _more(r, "extras")
    out = [_table("t-roles", [("Role", "text"), ("Files", "num")],
                  _ranked(r.extras_by_role), "roles", narrow=True)]
    if r.extras:
        out.append("<h3>Files</h3>")
        out.append(_table("t-extras", [("Role", "text"), ("File", "path"), ("Why", "long")],
                          [(e.role, e.path, e.reason) for e in r.extras], "extras",
                          roots=r.roots))
    return "".join(out) + _more(r, "extras")


def _plan(plan: PlanSummary | None, r: Report) -> str:
    if plan is None:
        return _empty("No plan yet: run <code>jforg plan --dest DIR</code>.")
    out = [_stats([("", _num(plan.moves), "moves", "files to their Jellyfin place"),
                   ("", _num(plan.skips), "skips", "files left where they are"),
                   ("", _num(plan.creates), "creates", "NFO and artwork files")])]
    out.append("<h3>Why files are skipped</h3>")
    out.append(_table("t-skips", [("Reason", "long"), ("Files", "num")],
                      _ranked(plan.skip_reasons), "skip reasons", narrow=True)
               if plan.skip_reasons else _empty("No files are skipped."))
    out.append("<h3>Sample moves</h3>")
    moves = [(m[0], "→", m[1]) for m in plan.sample_moves if len(m) == 2]
    out.append(_table("t-moves", [("Source", "path"), ("", "text"), ("Destination", "path")],
                      moves, "moves", roots=r.roots) if moves else _empty("No moves planned."))
    return "".join(out) + _more(r, "sample_moves")


def _naming(r: Report) -> str:
    if not r.naming_issues:
        return _empty("No naming issues.") + _more(r, "naming_issues")
    rows = [(g.rule, g.count, g.files[0].message if g.files else None,
             g.files[0].fix if g.files else None,
             _files([f.path for f in g.files], r.roots, g.count))
            for g in r.naming_issues]
    return _table("t-naming", [("Rule", "text"), ("Count", "num"), ("Example problem", "long"),
                               ("Example fix", "long"), ("Files", "path")],
                  rows, "naming rules") + _more(r, "naming_issues")


def render_html(report: Report) -> str:
    """The whole report page as one HTML5 document (deterministic, self-contained)."""
    r = report
    bodies = {
        "overview": _overview(r), "charts": _charts(r), "review": _review(r),
        "unidentified": _unidentified(r), "errors": _errors(r.errors, r),
        "duplicates": _duplicates(r.duplicates, r), "missing": _missing(r),
        "extras": _extras(r), "plan": _plan(r.plan, r), "naming": _naming(r),
    }
    ident = r.identification
    counts = {"review": ident.needs_review, "unidentified": ident.unidentified,
              "errors": sum(g.count for g in r.errors), "duplicates": len(r.duplicates),
              "missing": len(r.missing_episodes), "extras": sum(r.extras_by_role.values()),
              "naming": sum(g.count for g in r.naming_issues)}
    badges = {sid: f' <span class="n">{_num(n)}</span>' for sid, n in counts.items() if n}
    nav = "".join(f'<li><a href="#{sid}">{title}{badges.get(sid, "")}</a></li>'
                  for sid, title in SECTIONS)
    sections = "".join(f'<section id="{sid}" aria-labelledby="h-{sid}">'
                       f'<h2 id="h-{sid}">{title}</h2>{bodies[sid]}</section>'
                       for sid, title in SECTIONS)
    roots = ", ".join(_path(p) for p in r.roots) or "no library"
    meta = f"{_text(r.created)} · jforg {_text(r.tool)} · {_text(r.schema)} · {roots}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>jforg report — {roots}</title>\n"
        f"<style>\n{CSS}</style>\n</head>\n<body>\n"
        f'<header class="top"><h1>jforg report</h1><p class="meta">{meta}</p></header>\n'
        f'<nav aria-label="Sections"><ul>{nav}</ul></nav>\n'
        f"<main>\n{sections}\n</main>\n"
        f"<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )
