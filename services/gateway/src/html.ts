/** HTML-escapes text and attribute values: everything a client sent goes through this before a page. */
export const escapeHtml = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const BASE_STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1f3b57;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:2px 0;opacity:.9}main{padding:8px 28px 40px;max-width:1000px}
.button,button{display:inline-block;background:#c0392b;color:#fff;padding:7px 14px;border-radius:4px;text-decoration:none;border:0;font:inherit;cursor:pointer}
button.secondary{background:#5b6472}form.card,.card{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:16px 20px;margin:18px 0;max-width:480px}
label{display:block;margin:10px 0 4px}input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:7px;font:inherit}
.error{color:#a61b1b}code.big{font-size:28px;letter-spacing:3px}
`;

/** A complete page: escaped title, the house style plus any extra, and optional same-origin script. */
export function htmlPage(title: string, body: string, options: { style?: string; script?: string } = {}): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${BASE_STYLE}${options.style ?? ''}</style></head><body>${body}` +
    (options.script ? `<script src="${escapeHtml(options.script)}" defer></script>` : '') +
    '</body></html>'
  );
}
