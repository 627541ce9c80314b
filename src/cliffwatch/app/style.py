"""The page's stylesheet, served inline so the dashboard needs no network and no CDN.

It covers the Bootstrap classes the dash-bootstrap-components in :mod:`layout` emit (grid,
navbar, tabs, cards, alerts, badges, buttons, progress bars, tables, form controls); the
palette follows the report's (:data:`cliffwatch.report.charts.PALETTE`).
"""

from __future__ import annotations

CSS = """
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#212529;
background:#f7f9fb}
h5,h6{margin:.8rem 0 .4rem;font-weight:600}h5{font-size:1.1rem}h6{font-size:.95rem}
.container-fluid{width:100%;padding:0 16px}
.row{display:flex;flex-wrap:wrap;margin:0 -8px}.row>*{padding:0 8px;width:100%}
@media(min-width:768px){.col-md-2{flex:0 0 16.66%;max-width:16.66%}.col-md-3{flex:0 0 25%;
max-width:25%}
.col-md-4{flex:0 0 33.33%;max-width:33.33%}.col-md-6{flex:0 0 50%;max-width:50%}
.col-md-8{flex:0 0 66.66%;max-width:66.66%}.col-md-9{flex:0 0 75%;max-width:75%}}
@media(min-width:992px){.col-lg-6{flex:0 0 50%;max-width:50%}}
.navbar{background:#1d2733;color:#fff;padding:10px 16px;display:flex;
justify-content:space-between}
.navbar a,.navbar-brand{color:#fff;font-weight:600;text-decoration:none}
.navbar .container,.navbar .container-fluid{display:flex;justify-content:space-between;
align-items:center;width:100%}
.navbar-toggler{display:none}.navbar-collapse,.navbar-nav{display:flex;list-style:none;margin:0;
padding:0}
.text-light{color:#e5eaf0}.text-muted{color:#6c757d}.small{font-size:.85em}
.nav-tabs{display:flex;list-style:none;margin:0;padding:8px 16px 0;
border-bottom:1px solid #d0d7de;background:#fff}
.nav-tabs .nav-link{display:block;padding:8px 16px;border:1px solid transparent;
border-radius:6px 6px 0 0;
color:#1f77b4;text-decoration:none;cursor:pointer}
.nav-tabs .nav-link.active{border-color:#d0d7de #d0d7de #fff;background:#fff;color:#212529;
font-weight:600}
.tab-content>.tab-pane{display:none}.tab-content>.active{display:block}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px}.card-body{padding:12px}
.alert{padding:10px 14px;border-radius:6px;border:1px solid transparent;margin:8px 0}
.alert pre{margin:0;font-family:inherit}
.alert-danger{background:#f8d7da;border-color:#f1aeb5;color:#58151c}
.alert-warning{background:#fff3cd;border-color:#ffe69c;color:#664d03}
.alert-success{background:#d1e7dd;border-color:#a3cfbb;color:#0a3622}
.alert-info{background:#cff4fc;border-color:#9eeaf9;color:#055160}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;font-size:.8em;
font-weight:600}
.bg-primary{background:#1f77b4}.bg-secondary{background:#6c757d}.bg-success{background:#2ca02c}
.bg-danger{background:#d62728}.bg-warning{background:#ff7f0e}.bg-info{background:#17becf}
.btn{display:inline-block;padding:5px 12px;border-radius:6px;border:1px solid #1f77b4;
background:#1f77b4;
color:#fff;cursor:pointer;font-size:.9em;text-decoration:none}
.btn-secondary{background:#6c757d;border-color:#6c757d}.btn-success{background:#2ca02c;
border-color:#2ca02c}
.btn-outline-danger{background:#fff;color:#d62728;border-color:#d62728}
.btn-link{background:none;border:none;color:#1f77b4;text-decoration:underline;padding:0}
.progress{height:18px;background:#e5eaf0;border-radius:6px;overflow:hidden}
.progress-bar{height:100%;background:#1f77b4;color:#fff;font-size:.75em;text-align:center;
transition:width .3s}
.table{width:100%;border-collapse:collapse;background:#fff}.table th,.table td{padding:3px 8px;
border-bottom:1px solid #e5eaf0;text-align:left;vertical-align:top}.table th{background:#f0f3f6}
.table-striped tbody tr:nth-of-type(odd){background:#fafbfc}.table-responsive{overflow-x:auto}
.form-control,.form-select{width:100%;padding:4px 8px;border:1px solid #c3ccd5;
border-radius:6px;font-size:.9em}
textarea.form-control{font-family:monospace}.form-label{display:block}
.form-check{display:block;margin:2px 0}.form-check-inline{display:inline-block;
margin-right:12px}
.mt-1{margin-top:4px}.mt-2{margin-top:8px}.mt-3{margin-top:16px}.mt-4{margin-top:24px}
.mb-0{margin-bottom:0}.mb-1{margin-bottom:4px}.mb-2{margin-bottom:8px}.me-2{margin-right:8px}
.p-0{padding:0}
"""

INDEX_STRING = """<!DOCTYPE html>
<html>
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
<style>""" + CSS + """</style>
</head>
<body>
{%app_entry%}
<footer>
{%config%}
{%scripts%}
{%renderer%}
</footer>
</body>
</html>"""
"""Dash's page template with the stylesheet inlined (no external request)."""
