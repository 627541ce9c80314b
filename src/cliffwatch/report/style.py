"""The report's stylesheet: readable on screen, one clean column on paper."""

from __future__ import annotations

REPORT_CSS = """
:root { --ink: #1b2733; --muted: #5b6b7a; --rule: #d8dee4; --accent: #1f3b57; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 0 24px 48px; line-height: 1.45; }
header { border-bottom: 3px solid var(--accent); padding: 16px 0 8px; }
h1 { margin: 0 0 4px; font-size: 1.6rem; color: var(--accent); }
h2 { border-bottom: 1px solid var(--rule); padding-bottom: 4px; color: var(--accent);
     margin-top: 36px; }
h3 { margin: 20px 0 8px; font-size: 1.05rem; }
.facts, .note, .empty { color: var(--muted); font-size: 0.9rem; }
nav ol { columns: 3; font-size: 0.9rem; padding-left: 20px; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 8px; vertical-align: top; }
th { background: #eef2f6; text-align: left; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.headline { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.headline div { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 14px; }
.headline b { display: block; font-size: 1.3rem; color: var(--accent); }
.chart { width: 100%; min-height: 380px; }
.table-wrap { max-width: 100%; overflow-x: auto; }
pre { background: #f6f8fa; padding: 10px; overflow-x: auto; font-size: 0.8rem;
      white-space: pre-wrap; word-break: break-word; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  .chart, table, .headline { break-inside: avoid; }
  th { position: static; }
  .table-wrap { overflow: visible; }
  table { table-layout: fixed; font-size: 7pt; }
  th, td { overflow-wrap: anywhere; padding: 2px 3px; }
  a { color: inherit; text-decoration: none; }
}
"""
