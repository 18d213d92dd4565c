"""The static CSS and JavaScript inlined into report.html.

Kept apart from ``html`` so that module stays about data, not style.
Both are constants with no library data in them: nothing here is ever
formatted with text from a file name or an API, so they need no escaping.
The script is plain ES2017 with no eval and no network access; it only
reads ``data-*`` attributes and the text already in the page, and the page
reads fine without it (the tables are just not sortable or filterable).
"""

from __future__ import annotations

__all__ = ["CSS", "SCRIPT"]

CSS = """\
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2933;--muted:#5f6b7a;--line:#e3e7ec;
--head:#f1f4f8;--accent:#2f6690;--bar:#7aa5cc;--warn:#b7791f;--warnbg:#fff8eb;
--bad:#b83232;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
.top{max-width:72rem;margin:0 auto;padding:1.25rem 1rem .5rem}
h1{font-size:1.5rem;margin:0;line-height:1.2}
h2{font-size:1.2rem;margin:0 0 .75rem;line-height:1.3}
h3{font-size:1rem;margin:1.25rem 0 .5rem}
.meta{color:var(--muted);margin:.25rem 0 0;font-size:.85rem;overflow-wrap:anywhere}
nav{position:sticky;top:0;z-index:2;background:rgba(246,247,249,.96);
border-bottom:1px solid var(--line)}
nav ul{display:flex;gap:.25rem;max-width:72rem;margin:0 auto;padding:.45rem 1rem;
list-style:none;overflow-x:auto;white-space:nowrap;scrollbar-width:thin}
nav a{display:block;padding:.2rem .65rem;border-radius:999px;color:var(--accent);
text-decoration:none;font-size:.9rem}
nav a:hover,nav a:focus-visible{background:#e4edf5}
nav .n{color:var(--muted);font-variant-numeric:tabular-nums}
main{max-width:72rem;margin:0 auto;padding:0 1rem 3rem}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:1rem;margin:1rem 0;scroll-margin-top:3.25rem;min-width:0}
p{margin:.5rem 0}
.empty{color:var(--muted);margin:0}
.more{color:var(--muted);font-style:italic}
.note{padding:.5rem .75rem;border-left:3px solid var(--warn);background:var(--warnbg);
border-radius:0 6px 6px 0}
.note.ok{border-left-color:var(--accent);background:#eef4fa}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem;
margin:0 0 1rem;padding:0;list-style:none}
.stats li{border:1px solid var(--line);border-radius:8px;padding:.5rem .75rem}
.stats b{display:block;font-size:1.3rem;font-variant-numeric:tabular-nums;line-height:1.3}
.stats span{display:block;font-size:.9rem}
.stats small{display:block;color:var(--muted);font-size:.78rem;line-height:1.35}
.stats .bad b{color:var(--bad)}
.stats .warn b{color:var(--warn)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,22rem),1fr));
gap:1rem;align-items:start}
/* The edge shadows show only while more columns hide past that edge: a scroll hint. */
.tablewrap{overflow-x:auto;max-width:100%;border:1px solid var(--line);border-radius:8px;
background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/1.5rem 100% no-repeat local,
linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/1.5rem 100% no-repeat local,
radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.14),transparent) left/.5rem 100% no-repeat,
radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.14),transparent) right/.5rem 100% no-repeat}
.tablewrap.narrow{max-width:34rem}
.tablewrap.tall{max-height:min(36rem,80vh);overflow-y:auto}
.tall thead th{position:sticky;top:0;z-index:1}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid var(--line);text-align:left;
vertical-align:top}
thead th{background:var(--head);font-weight:600;white-space:nowrap}
tbody tr:last-child td{border-bottom:0}
tbody tr:hover td{background:#fafbfc}
.nw{white-space:nowrap}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.path{overflow-wrap:anywhere;min-width:13rem}
td.wide{min-width:11rem;overflow-wrap:anywhere}
td.wide li{overflow-wrap:anywhere}
code{font:.85em/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;
overflow-wrap:anywhere}
td ul{margin:0;padding-left:1.1rem}
td ul.bare{list-style:none;padding:0}
details summary{cursor:pointer;color:var(--accent)}
th button{all:unset;cursor:pointer;display:inline-block}
th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th button::after{content:" \\2195";color:#a0aab5;font-size:.8em}
th[aria-sort=ascending] button::after{content:" \\25B2";color:var(--accent)}
th[aria-sort=descending] button::after{content:" \\25BC";color:var(--accent)}
.filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.25rem 0 .5rem}
.filter input{flex:1 1 12rem;min-width:0;max-width:26rem;padding:.35rem .6rem;font:inherit;
border:1px solid #c5ced8;border-radius:6px;background:#fff}
.filter output{color:var(--muted);font-size:.85rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,20rem),1fr));
gap:1rem}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:.6rem .75rem;min-width:0}
figcaption{font-weight:600;margin-bottom:.25rem}
figure svg{display:block;width:100%;height:auto}
svg text{font-size:12px;fill:var(--ink)}
svg .val{fill:var(--muted);font-variant-numeric:tabular-nums}
svg rect{fill:var(--bar)}
svg .other{fill:#b9c6d3}
.arrow{color:var(--muted);text-align:center}
@media (max-width:40rem){body{font-size:14px}section{padding:.75rem}main{padding:0 .5rem 2rem}}
@media print{nav,.filter{display:none}section{break-inside:avoid-page}}
"""

SCRIPT = """\
"use strict";
(() => {
  const collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  // Sizes and counts carry their exact value in data-sort, so "1.5 GiB" sorts
  // above "900 MiB" and "1,234" above "987".
  const key = (row, i, numeric) => {
    const cell = row.cells[i];
    if (!cell) return numeric ? -Infinity : "";
    const raw = cell.dataset.sort ?? cell.textContent.trim();
    if (!numeric) return raw;
    const n = Number(raw);
    return Number.isNaN(n) ? -Infinity : n;
  };
  for (const table of document.querySelectorAll("table.sortable")) {
    const heads = Array.from(table.tHead.rows[0].cells);
    heads.forEach((th, i) => {
      const button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        for (const h of heads) h.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const numeric = th.dataset.type === "num";
        const body = table.tBodies[0];
        const rows = Array.from(body.rows, (row, index) => ({row, index, k: key(row, i, numeric)}));
        rows.sort((a, b) => {
          const c = numeric ? (a.k > b.k) - (a.k < b.k) : collator.compare(a.k, b.k);
          return (ascending ? c : -c) || a.index - b.index;
        });
        body.append(...rows.map((r) => r.row));
      });
    });
  }
  for (const input of document.querySelectorAll("input[data-filter]")) {
    const table = document.getElementById(input.dataset.filter);
    const out = input.parentElement.querySelector("output");
    if (!table) continue;
    const rows = Array.from(table.tBodies[0].rows);
    input.addEventListener("input", () => {
      const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
      let shown = 0;
      for (const row of rows) {
        const text = row.textContent.toLowerCase();
        row.hidden = !words.every((w) => text.includes(w));
        if (!row.hidden) shown += 1;
      }
      if (out) out.textContent = words.length ? `${shown} of ${rows.length} shown` : "";
    });
  }
})();
"""
