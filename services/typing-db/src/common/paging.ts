import type { PageRequest } from '@helixgate/contracts';
import { queryValues } from './filters';

/** BIGSdb's paging, as lib/BIGSdb/REST/Interface.pm does it (research notes, section 2). */
export const PAGE_SIZE = 100;
const MAX_INT = 2_147_483_647;

export interface PageWindow {
  page: number;
  pageSize: number;
  /** Rows to skip; with returnAll, 0. */
  offset: number;
  /** Rows to return; undefined with return_all. */
  limit?: number;
  returnAll: boolean;
  headerMode: boolean;
}

/** Perl truthiness: anything but undefined, "" and "0". */
export const truthy = (value: string | undefined) => value !== undefined && value !== '' && value !== '0';

const positiveInt = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n <= MAX_INT ? n : undefined;
};

/** Which rows a request asks for: page/page_size, or X-OFFSET/X-PER-PAGE, or return_all. */
export function pageWindow(request: PageRequest): PageWindow {
  const query = queryValues(request.query);
  let pageSize = positiveInt(query.get('page_size')) ?? PAGE_SIZE;
  const page = positiveInt(query.get('page')) ?? 1;
  const returnAll = truthy(query.get('return_all'));
  const headerMode = truthy(request.offsetHeader) || truthy(request.perPageHeader);
  let offset = (page - 1) * pageSize;
  if (headerMode) {
    pageSize = positiveInt(request.perPageHeader) ?? pageSize;
    offset = positiveInt(request.offsetHeader) ?? 0;
  }
  if (returnAll) return { page, pageSize, offset: 0, returnAll, headerMode };
  return { page, pageSize, offset, limit: pageSize, returnAll, headerMode };
}

export interface PageResult {
  paging?: Record<string, string>;
  headers: { perPage: number; offset: number; totalPages: number };
}

/**
 * The paging object and headers for a window over `total` rows. Links are uri_base + path + page=N&page_size=M
 * + every other query parameter (sorted; not page, page_size or oauth_*), not URL-encoded, as BIGSdb writes them.
 */
export function pageResult(window: PageWindow, total: number, request: PageRequest, baseUri: string): PageResult {
  const totalPages = Math.ceil(total / window.pageSize);
  const headers = { perPage: window.pageSize, offset: (window.page - 1) * window.pageSize, totalPages };
  if (window.returnAll || window.headerMode || totalPages <= 1) return { headers };
  const others = [...queryValues(request.query)]
    .filter(([key]) => key !== 'page' && key !== 'page_size' && key !== 'return_all' && !key.startsWith('oauth'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `&${key}=${value}`)
    .join('');
  const url = `${baseUri}${request.path}`;
  const sep = request.path.includes('?') ? '&' : '?';
  const link = (page: number) => `${url}${sep}page=${page}&page_size=${window.pageSize}${others}`;
  const paging: Record<string, string> = {};
  if (window.page > 1) {
    paging.first = link(1);
    paging.previous = link(Math.min(window.page - 1, totalPages));
  }
  if (window.page < totalPages) paging.next = link(window.page + 1);
  if (window.page !== totalPages) paging.last = link(totalPages);
  if (Object.keys(paging).length) paging.return_all = `${url}${sep}return_all=1${others}`;
  return { paging: Object.keys(paging).length ? paging : undefined, headers };
}

/** The rows a window selects from a list already in order. */
export const pageSlice = <T>(rows: T[], window: PageWindow): T[] =>
  window.limit === undefined ? rows : rows.slice(window.offset, window.offset + window.limit);
