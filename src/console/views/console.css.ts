// The console's one stylesheet, served as /console/console.css (the CSP allows styles from Aster
// only, never inline). Colours keep at least 4.5:1 contrast (WCAG 2.1 AA); tables scroll inside
// their own box on a phone rather than widening the page.
export const CONSOLE_CSS = `
:root { --ink: #1b1f24; --muted: #4a5360; --line: #c9d1db; --bg: #ffffff; --soft: #f3f5f8; --accent: #0b5cad; --warn: #8a3b00; --bad: #a1141c; --good: #1d6b2f; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--ink); color: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 0; }
header.top { background: #12263f; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; }
header.top a { color: #fff; }
header.top .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header.top nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
header.top .who { margin-left: auto; display: flex; align-items: center; gap: .75rem; font-size: .9rem; }
header.top .who button { background: transparent; color: #fff; border: 1px solid #fff; }
main { padding: 1rem; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; background: var(--soft); }
.card h2 { margin-top: 0; font-size: 1.1rem; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
caption { text-align: left; padding: .5rem; font-weight: 600; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--soft); }
td.wrap, dd { overflow-wrap: anywhere; }
dl.record { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.record dt { font-weight: 600; color: var(--muted); }
dl.record dd { margin: 0; }
@media (max-width: 600px) { dl.record { grid-template-columns: 1fr; } dl.record dd { margin-bottom: .5rem; } }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin-bottom: 1rem; }
label { display: block; font-weight: 600; font-size: .9rem; }
input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #6b7685; border-radius: 4px; max-width: 100%; background: #fff; color: var(--ink); }
textarea { width: 100%; min-height: 4rem; }
.field { margin-bottom: .75rem; }
.hint { color: var(--muted); font-size: .85rem; margin: .15rem 0 0; }
button { font: inherit; padding: .4rem 1rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.danger { background: var(--bad); border-color: var(--bad); }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; }
.checks label { font-weight: 400; display: flex; gap: .5rem; align-items: center; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; border: 1px solid currentColor; }
.badge.held, .badge.failed, .badge.suspicious { color: var(--bad); }
.badge.queued { color: var(--warn); }
.badge.sent, .badge.forwarded, .badge.released { color: var(--good); }
.notice { border-left: 4px solid var(--accent); background: var(--soft); padding: .5rem 1rem; margin: 0 0 1rem; }
.notice.error { border-color: var(--bad); }
pre.original { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); border: 1px solid var(--line); padding: .75rem; max-height: 40rem; overflow: auto; font-size: .9rem; }
nav.pager { display: flex; gap: 1rem; margin: 1rem 0; }
.login { max-width: 28rem; margin: 3rem auto; }
.login input { width: 100%; }
.actions { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.actions form { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; flex: 1 1 18rem; }
`;
