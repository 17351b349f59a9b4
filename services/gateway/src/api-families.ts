import { STATUS_CODES } from 'node:http';
import { AA_DETAIL, AA_FORM_ERRORS, type ErrorEnvelope } from '@helixgate/contracts';

/** The four API families the gateway serves, each with its own error wire format. */
export type ApiFamily = 'patlas' | 'bigsdb' | 'analytics_automated' | 'cgi';

/** Which family a path belongs to, by where each family is mounted (BIGSdb owns / and everything else). */
export function familyOf(path: string): ApiFamily {
  if (path === '/results' || path.startsWith('/results/')) return 'patlas';
  if (path === '/analytics_automated' || path.startsWith('/analytics_automated/')) return 'analytics_automated';
  if (path === '/api/v1' || path.startsWith('/api/v1/')) return 'cgi';
  return 'bigsdb';
}

export interface WireError {
  status: number;
  contentType: string;
  body: string;
}

const json = (status: number, body: unknown): WireError => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

/** An error envelope in the family's own format, as its original server would have written it. */
export function formatError(family: ApiFamily, error: ErrorEnvelope): WireError {
  switch (family) {
    case 'patlas': // Flask views return the message itself (sent as text/plain here, never as HTML)
      return { status: error.status, contentType: 'text/plain; charset=utf-8', body: error.message };
    case 'analytics_automated': // Django REST framework: {"detail": …} for its own 404s, {"error": …} from the views
      if (error.status === 404 && error.code === 'not_found') return json(404, { detail: 'Not found.' });
      if (error.code === AA_DETAIL) return json(error.status, { detail: error.message });
      // A form's field errors: {"error": {"email": ["Enter a valid email address."]}}
      if (error.code === AA_FORM_ERRORS && typeof error.details === 'object' && error.details !== null)
        return json(error.status, { error: error.details });
      return json(error.status, { error: error.message });
    case 'cgi':
      return json(error.status, { error_code: error.status, message: error.message });
    case 'bigsdb':
      return json(error.status, {
        status: error.status,
        title: `Error ${error.status} - ${STATUS_CODES[error.status] ?? 'Error'}`,
        message: error.message,
      });
  }
}
