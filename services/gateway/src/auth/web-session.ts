import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'helixgate_session';

/** The login session id from the cookie, if any. */
export function sessionIdOf(request: Request): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const id = value.join('=');
      return /^[A-Za-z0-9]{20,100}$/.test(id) ? id : undefined;
    }
  }
  return undefined;
}

export function setSessionCookie(request: Request, response: Response, sessionId: string, expiresAt: string): void {
  response.cookie(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.secure,
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(response: Response): void {
  response.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Only a path on this site: never an open redirect to somewhere else. */
export function localPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/auth/whoami';
}
