/** The page's stylesheet, inlined: a report must open without any network. */
export const CSS = `
:root{--ok:#1a7f37;--bad:#cf222e;--err:#8b0000;--warn:#9a6700;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1240px;padding:1.5rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
h1{margin:0 0 .5rem;font-size:1.6rem}
h2{font-size:1.25rem;margin:0 0 .25rem;overflow-wrap:anywhere}
h3{font-size:1rem;margin:1.4rem 0 .4rem}
h4{margin:0 0 .3rem;font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
header.run{border-left:6px solid var(--line);padding:.6rem 1rem;background:var(--bg);border-radius:6px}
header.run.passed{border-color:var(--ok)}header.run.failed,header.run.error{border-color:var(--bad)}
.summary-line{margin:.1rem 0 .5rem;font-size:1rem}
dl{margin:0;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem}
dl>div{display:flex;gap:.4rem}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.card dl{display:block}.card dl>div{justify-content:space-between;gap:1rem;border-bottom:1px dotted var(--line)}
.card dd{text-align:right}
.badge{display:inline-block;padding:0 .5em;border-radius:1em;font-size:.75em;font-weight:600;text-transform:uppercase;color:#fff;vertical-align:middle}
.badge.passed{background:var(--ok)}.badge.failed{background:var(--bad)}.badge.error{background:var(--err)}
.chips{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1.5rem;margin:1rem 0 .3rem}
.chips-label{font-weight:600;margin-right:.4rem}
.chip{display:inline-block;margin:0 .3rem 0 0;padding:.15rem .65rem;border-radius:1em;border:1px solid var(--line);background:#fff;color:inherit;font:inherit;cursor:pointer}
.chip.passed{border-color:var(--ok);color:var(--ok)}.chip.failed,.chip.error{border-color:var(--bad);color:var(--bad)}
.chip.warn,.chip.skipped{border-color:var(--warn);color:var(--warn)}.chip.zero{color:var(--muted);border-color:var(--line)}
.chip[aria-pressed=false]{opacity:.45;text-decoration:line-through;border-style:dashed}
.hint{margin:0 0 1rem;color:var(--muted);font-size:.85rem}
body.hide-suite-passed .suite.passed,body.hide-suite-passed nav li.passed,
body.hide-suite-failed .suite.failed,body.hide-suite-failed nav li.failed,
body.hide-suite-error .suite.error,body.hide-suite-error nav li.error,
body.hide-assert-passed table.assertions tr.passed,body.hide-assert-failed table.assertions tr.failed,
body.hide-assert-warn table.assertions tr.warn,body.hide-assert-skipped table.assertions tr.skipped{display:none}
nav ol{padding-left:1.5rem;margin:.5rem 0}nav li{margin:.15rem 0}
section.suite{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;padding:1rem 1.2rem;margin:1.2rem 0}
section.suite.passed{border-left-color:var(--ok)}section.suite.failed{border-left-color:var(--bad)}section.suite.error{border-left-color:var(--err)}
.meta{margin:0 0 .6rem;color:var(--muted)}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:.8rem}
.card{background:var(--bg);border-radius:6px;padding:.6rem .8rem}
.error-box{background:#ffebe9;border:1px solid var(--bad);border-radius:6px;padding:.6rem .8rem;margin:.5rem 0;overflow-wrap:anywhere}
.error-box pre{white-space:pre-wrap;margin:.4rem 0 0}
.warning-box{background:#fff8e5;border:1px solid var(--warn);border-radius:6px;padding:.6rem .8rem;margin:.5rem 0;overflow-wrap:anywhere}
.warning-box ul{margin:.3rem 0 0;padding-left:1.2rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
thead th{background:var(--bg);font-weight:600}
td.num,td.found{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.metrics th,table.metrics td,table.sensitivity th,table.sensitivity td{white-space:nowrap}
table.metrics thead th:not(:first-child),table.latency thead th:not(:first-child),table.energy thead th:not(:first-child),
table.sensitivity thead th:nth-child(n+3){text-align:right}
td.status{white-space:nowrap;font-weight:600}
table.assertions td.status,table.assertions td:nth-child(3),table.assertions td.found{width:1%;white-space:nowrap}
tr.passed td.status{color:var(--ok)}tr.failed td.status{color:var(--bad)}tr.warn td.status,tr.skipped td.status{color:var(--warn)}
tr.failed{background:#fff5f5}tr.warn{background:#fff8e5}
.level{font-size:.75em;border:1px solid var(--warn);color:var(--warn);border-radius:1em;padding:0 .4em;margin-left:.3em}
.extras{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:.8rem}
.extra.latency,.extra.energy{grid-column:1/-1}.extra.latency table,.extra.energy table{width:auto;min-width:50%}.extra table th,.extra table td{white-space:nowrap}
.extra{background:var(--bg);border-radius:6px;padding:.6rem .8rem}.extra p{margin:.2rem 0}.extra table{font-size:.92em}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem;margin-top:.5rem}
figure{margin:0}
.chart{border:1px solid var(--line);border-radius:6px;padding:.6rem;overflow-x:auto}.chart.wide{grid-column:1/-1}
.chart figcaption{color:var(--muted);font-size:.85rem;margin-top:.3rem}
.chart h4{margin-bottom:.4rem}
.chart svg{display:block;max-width:100%;height:auto}
.chart details{margin-top:.4rem}
.scroll{overflow-x:auto}
table.samples{width:auto}table.samples td,table.samples th{text-align:center;vertical-align:top;border-bottom:1px solid var(--line)}
table.samples thead th{font-size:.8rem}
table.samples img{image-rendering:pixelated;display:block;margin:0 auto;border:1px solid var(--line)}
table.samples figcaption{font-size:.75rem;color:var(--muted);white-space:nowrap;font-variant-numeric:tabular-nums}
details{margin-top:1rem}summary{cursor:pointer;font-weight:600}
td.act{position:relative;min-width:90px;text-align:right}
td.act .bar{position:absolute;left:0;top:15%;height:70%;background:#ddf4ff}
td.act .v{position:relative}
.muted{color:var(--muted)}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media print{.chip{cursor:default}details{display:block}}
`;
