import { esc } from './svg.js';

export interface Section {
  readonly id: string;
  readonly heading: string;
  /** Trusted HTML: charts and tables built by this folder. */
  readonly html: string;
  readonly note?: string;
}

const CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f7fa;color:#1f2933}
main{max-width:1040px;margin:0 auto;padding:24px 28px 48px}
header h1{font-size:1.5rem;margin:0 0 4px}
header p{margin:2px 0;color:#52606d;font-size:.9rem}
code{background:#e4e7eb;border-radius:3px;padding:0 4px;font-size:.85em}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(105px,1fr));gap:10px;margin:18px 0 8px}
.kpi{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:10px 12px;display:flex;flex-direction:column;justify-content:space-between}
.kpi .v{font-size:1.3rem;font-weight:650}.kpi .k{font-size:.78rem;color:#7b8794}
section{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:14px 16px;margin:14px 0}
section h2{font-size:1.05rem;margin:0 0 6px}
.note{color:#616e7c;font-size:.85rem;margin:0 0 8px}
svg.chart{width:100%;height:auto;display:block}
table{border-collapse:collapse;font-size:.8rem;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:3px 8px;border-bottom:1px solid #eef0f3;text-align:right;white-space:nowrap}
thead th{position:sticky;top:0;background:#f5f7fa;color:#52606d;font-weight:600}
table.kv th{text-align:left;font-weight:500;color:#52606d}
.stats{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}
.scroll{max-height:520px;overflow:auto}
td.msg{text-align:left;white-space:normal}th.l,td.l{text-align:left}
.pos{color:#15803d}.neg{color:#b91c1c}
.tag{display:inline-block;padding:0 6px;border-radius:9px;background:#fde68a;font-size:.75rem}
.tag.max-drawdown,.tag.kill-switch,.tag.stop-loss,.tag.daily-loss{background:#fecaca}
.tag.take-profit,.tag.resumed,.tag.daily-reset{background:#bbf7d0}
footer{color:#7b8794;font-size:.8rem;margin-top:18px}
@media print{body{background:#fff}section{break-inside:avoid}.scroll{max-height:none;overflow:visible}}
`;

/** One self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched. */
export function htmlPage(o: {
  title: string;
  subtitle: readonly string[];
  kpis: readonly { label: string; value: string; cls?: string }[];
  sections: readonly Section[];
  footer: string;
}): string {
  const kpis = o.kpis
    .map(
      (k) =>
        `<div class="kpi"><div class="k">${esc(k.label)}</div><div class="v ${k.cls ?? ''}">${esc(k.value)}</div></div>`,
    )
    .join('');
  const sections = o.sections
    .map(
      (s) =>
        `<section id="${esc(s.id)}"><h2>${esc(s.heading)}</h2>${s.note ? `<p class="note">${esc(s.note)}</p>` : ''}${s.html}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${esc(o.title)}</h1>${o.subtitle.map((s) => `<p>${s}</p>`).join('')}</header>
<div class="kpis">${kpis}</div>
${sections}
<footer>${esc(o.footer)}</footer>
</main></body></html>
`;
}
