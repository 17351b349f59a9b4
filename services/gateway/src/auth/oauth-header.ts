/** `OAuth k="v", k2="v2"` → pairs, values percent-decoded; anything that is not an OAuth header → none. */
export function parseAuthorizationHeaderParams(header: string | undefined): Array<[string, string]> {
  const match = header ? /^\s*OAuth\s+(.*)$/is.exec(header) : null;
  if (!match) return [];
  const pairs: Array<[string, string]> = [];
  for (const part of match[1].split(',')) {
    const item = /^\s*([A-Za-z0-9_.~-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (!item) continue;
    let value = item[2];
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep it as sent; the signature check will fail on it
    }
    pairs.push([item[1], value]);
  }
  return pairs;
}
