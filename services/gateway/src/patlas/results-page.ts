import type { ResultType } from '@helixgate/contracts';
import { escapeHtml, htmlPage } from '../html';

export interface ResultsView {
  id: string;
  type: ResultType;
  /** The samples to show: the first ones of the document at least, in its order. */
  samples: Record<string, Record<string, unknown>>;
  /** How many samples the document holds, when `samples` is only its first ones. */
  sampleCount?: number;
  createdAt: string;
  expiresAt: string;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.parseFloat(String(value)));

interface Column {
  title: string;
  numeric: boolean;
  cell: (value: unknown) => unknown;
}

/** What each import type's values mean, column by column; the first column is the one charted. */
const COLUMNS: Record<ResultType, Column[]> = {
  mapping: [{ title: 'Coverage (fraction of plasmid)', numeric: true, cell: (v) => v }],
  mash_screen: [
    { title: 'Identity', numeric: true, cell: (v) => (v as unknown[])[0] },
    { title: 'Copy number', numeric: true, cell: (v) => (v as unknown[])[1] },
  ],
  assembly: [
    { title: 'Identity (1 − Mash distance)', numeric: true, cell: (v) => (v as unknown[])[0] },
    { title: 'Shared hashes', numeric: true, cell: (v) => (v as unknown[])[1] },
    { title: 'Contig', numeric: false, cell: (v) => (v as unknown[])[2] },
  ],
};

const TYPE_LABEL: Record<ResultType, string> = {
  mapping: 'Read mapping',
  mash_screen: 'Mash screen',
  assembly: 'Assembly (Mash distance)',
};

const CHART_LIMIT = 40;
/** Rows listed per sample on the page; the JSON download always has every one. */
export const TABLE_LIMIT = 2_000;
/** Samples shown on a page, and rows listed in all; whatever the document, the page stays a few megabytes. */
export const SAMPLE_LIMIT = 100;
export const PAGE_ROW_LIMIT = 10_000;
/** Characters of a sample name or accession shown; a longer one is cut, and the JSON has it whole. */
const NAME_LIMIT = 100;

const clip = (text: string): string => (text.length > NAME_LIMIT ? `${text.slice(0, NAME_LIMIT)}…` : text);

/** pATLAS accessions use '_' for the version dot (NZ_CP015088_1 is NZ_CP015088.1). */
function ncbiLink(accession: string): string {
  const match = accession.length <= NAME_LIMIT ? /^([A-Z]{1,2}_?[A-Z]*\d+)_(\d+)$/.exec(accession) : null;
  if (!match) return escapeHtml(clip(accession));
  const url = `https://www.ncbi.nlm.nih.gov/nuccore/${match[1]}.${match[2]}`;
  return `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(accession)}</a>`;
}

/** `rows` are highest first by the charted column. */
function barChart(rows: Array<[string, unknown]>, column: Column, sampleIndex: number): string {
  const top = rows.slice(0, CHART_LIMIT);
  if (top.length === 0) return '<p class="empty">No accessions in this sample.</p>';
  const max = Math.max(1, ...top.map(([, v]) => num(column.cell(v))));
  const barHeight = 18;
  const labelWidth = 170;
  const width = 720;
  const plot = width - labelWidth - 60;
  const bars = top
    .map(([accession, value], i) => {
      const v = num(column.cell(value));
      const y = i * barHeight;
      const w = Math.max(1, (v / max) * plot);
      return (
        `<g class="bar"><text x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${escapeHtml(clip(accession))}</text>` +
        `<rect x="${labelWidth}" y="${y + 2}" width="${w.toFixed(1)}" height="${barHeight - 4}"><title>${escapeHtml(clip(accession))}: ${escapeHtml(v)}</title></rect>` +
        `<text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + 13}">${escapeHtml(Number.isInteger(v) ? v : v.toFixed(3))}</text></g>`
      );
    })
    .join('');
  const caption =
    rows.length > CHART_LIMIT
      ? `The ${CHART_LIMIT} highest of ${rows.length} accessions, by ${column.title.toLowerCase()}.`
      : `By ${column.title.toLowerCase()}.`;
  return (
    `<figure><svg class="chart" id="chart-${sampleIndex}" role="img" aria-label="${escapeHtml(column.title)} per accession" ` +
    `viewBox="0 0 ${width} ${top.length * barHeight}" width="${width}" height="${top.length * barHeight}">${bars}</svg>` +
    `<figcaption>${escapeHtml(caption)}</figcaption></figure>`
  );
}

/** A sample's chart and table, listing at most `listLimit` rows. */
function sampleSection(
  name: string,
  sample: Record<string, unknown>,
  type: ResultType,
  index: number,
  listLimit: number,
): string {
  const columns = COLUMNS[type];
  const rows = Object.entries(sample);
  const sorted = rows.sort((a, b) => num(columns[0].cell(b[1])) - num(columns[0].cell(a[1])));
  const listed = Math.min(listLimit, rows.length);
  const header =
    `<th data-type="text" scope="col">Accession</th>` +
    columns
      .map((c) => `<th data-type="${c.numeric ? 'number' : 'text'}" scope="col">${escapeHtml(c.title)}</th>`)
      .join('');
  const body = sorted
    .slice(0, listed)
    .map(
      ([accession, value]) =>
        `<tr><td>${ncbiLink(accession)}</td>` +
        columns
          .map((c) => `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(clip(String(c.cell(value))))}</td>`)
          .join('') +
        '</tr>',
    )
    .join('');
  return (
    `<section class="sample" id="sample-${index}"><h2>${escapeHtml(clip(name))}</h2>` +
    `<p class="count">${rows.length} accession${rows.length === 1 ? '' : 's'}</p>` +
    barChart(sorted, columns[0], index) +
    `<table class="sortable" id="table-${index}"><thead><tr>${header}</tr></thead><tbody>${body}</tbody></table>` +
    (rows.length > listed
      ? `<p class="count">The ${listed} highest of ${rows.length} rows are listed; download the JSON for all.</p>`
      : '') +
    '</section>'
  );
}

const STYLE = `
.actions{margin:14px 0}nav a{margin-right:12px}.sample{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:6px 18px 16px;margin:18px 0}
.sample h2{font-size:18px;margin:10px 0 0}.count{color:#5b6472;margin:2px 0 10px}
.chart rect{fill:#cd5c5c}.chart text{font-size:11px;fill:#1d2330}figure{margin:0 0 12px}figcaption{color:#5b6472;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e6e9ee;padding:4px 8px;text-align:left}
th{cursor:pointer;user-select:none;background:#eef1f5;position:sticky;top:0}th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}td.num{text-align:right;font-variant-numeric:tabular-nums}.empty{color:#5b6472}
`;

const page = (title: string, body: string) => htmlPage(title, body, { style: STYLE, script: '/results/page.js' });

/** The page a shared link opens: per sample, a bar chart and a sortable table of accession → values. */
export function renderResultsPage(view: ResultsView): string {
  const entries = Object.entries(view.samples);
  const total = view.sampleCount ?? entries.length;
  const sections: string[] = [];
  const names: string[] = [];
  let rowsLeft = PAGE_ROW_LIMIT;
  for (const [name, sample] of entries) {
    // Every sample shown lists at least one row, so a page shows at most SAMPLE_LIMIT samples and PAGE_ROW_LIMIT rows.
    if (names.length === SAMPLE_LIMIT || rowsLeft === 0) break;
    const listLimit = Math.min(TABLE_LIMIT, rowsLeft);
    sections.push(sampleSection(name, sample, view.type, names.length, listLimit));
    rowsLeft -= Math.min(listLimit, Object.keys(sample).length);
    names.push(name);
  }
  const leftOut =
    total > names.length
      ? `<p class="count" id="samples-left-out">The first ${names.length} of ${total} samples are shown; ` +
        `${total - names.length} sample${total - names.length === 1 ? ' is' : 's are'} left out. Download the JSON for all.</p>`
      : '';
  const nav =
    names.length > 1
      ? `<nav>${names.map((n, i) => `<a href="#sample-${i}">${escapeHtml(clip(n))}</a>`).join('')}</nav>`
      : '';
  const body =
    `<header><h1>pATLAS results — ${escapeHtml(TYPE_LABEL[view.type])}</h1>` +
    `<p>${total} sample${total === 1 ? '' : 's'} · link <code>${escapeHtml(view.id)}</code></p>` +
    `<p>Created <time datetime="${escapeHtml(view.createdAt)}">${escapeHtml(view.createdAt)}</time> · ` +
    `expires <time class="expires" datetime="${escapeHtml(view.expiresAt)}">${escapeHtml(view.expiresAt)}</time></p></header>` +
    `<main><p class="actions"><a class="button" id="download-json" href="/results?query=${escapeHtml(view.id)}&amp;format=json" ` +
    `download="patlas-results-${escapeHtml(view.id)}.json">Download JSON</a></p>${leftOut}${nav}` +
    sections.join('') +
    '</main>';
  return page(`pATLAS results ${view.id}`, body);
}

/** The page for a link that does not exist or has expired. */
export function renderNotFoundPage(message: string): string {
  return page(
    'pATLAS results not found',
    `<header><h1>pATLAS results not found</h1></header><main><p id="not-found">${escapeHtml(message)}</p>` +
      `<p>Links live one day. Post the results again to get a new link: the same results give the same link.</p></main>`,
  );
}
