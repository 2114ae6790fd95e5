import { esc } from './svg.js';

export interface Section {
  readonly heading: string;
  /** Trusted HTML: charts from ./charts.js and tables from htmlTable. */
  readonly html: string;
  readonly note?: string;
}

/** One self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched. */
export function htmlPage(title: string, subtitle: string, sections: readonly Section[]): string {
  const body = sections
    .map(
      (s) =>
        `<section><h2>${esc(s.heading)}</h2>${s.note ? `<p class="note">${esc(s.note)}</p>` : ''}${s.html}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:780px;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}.note,.sub{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.85rem}td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}svg{max-width:100%;height:auto}
</style></head><body>
<h1>${esc(title)}</h1><p class="sub">${esc(subtitle)}</p>
${body}
</body></html>
`;
}

export function htmlTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const tr = (cells: readonly string[], tag: string) =>
    `<tr>${cells.map((c) => `<${tag}>${esc(c)}</${tag}>`).join('')}</tr>`;
  return `<table><thead>${tr(head, 'th')}</thead><tbody>${rows.map((r) => tr(r, 'td')).join('')}</tbody></table>`;
}
