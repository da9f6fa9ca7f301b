import { escapeXml } from './svg.js';

export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** Short prose under the heading (plain text). */
  readonly summary: string;
  /** Rendered SVG charts; each becomes a `<figure class="chart">`. */
  readonly charts: readonly { readonly svg: string; readonly caption: string }[];
  /** Optional table rows (first row is the header). */
  readonly table?: readonly (readonly string[])[];
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:980px;padding:24px;color:#222;background:#fff}
h1{font-size:1.6em;margin-bottom:4px} h2{margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}
p.lead{color:#555;margin-top:0} figure.chart{margin:16px 0} figcaption{color:#555;font-size:.9em}
table{border-collapse:collapse;font-size:.9em;margin:12px 0} td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left} nav a{margin-right:12px}
`;

/** A self-contained HTML page: inline CSS and SVG, no scripts, no external requests. */
export function renderHtmlDocument(title: string, lead: string, sections: readonly ReportSection[]): string {
  const nav = sections.map((section) => `<a href="#${section.id}">${escapeXml(section.title)}</a>`).join('');
  const body = sections
    .map((section) => {
      const charts = section.charts
        .map(
          (chart) =>
            `<figure class="chart">${chart.svg}<figcaption>${escapeXml(chart.caption)}</figcaption></figure>`,
        )
        .join('\n');
      const table = section.table ? renderTable(section.table) : '';
      return `<section id="${section.id}"><h2>${escapeXml(section.title)}</h2><p>${escapeXml(section.summary)}</p>${charts}${table}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeXml(title)}</h1><p class="lead">${escapeXml(lead)}</p><nav>${nav}</nav>
${body}
</body></html>
`;
}

function renderTable(rows: readonly (readonly string[])[]): string {
  const [header, ...rest] = rows;
  const head = `<tr>${(header ?? []).map((cell) => `<th>${escapeXml(cell)}</th>`).join('')}</tr>`;
  const bodyRows = rest
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeXml(cell)}</td>`).join('')}</tr>`)
    .join('');
  return `<table>${head}${bodyRows}</table>`;
}
