import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface OAuthClientCredentials {
  consumerKey: string;
  consumerSecret: string;
}
export interface OAuthToken {
  key: string;
  secret: string;
}

/** An OAuth 1.0a HMAC-SHA1 signer from the `oauth-1.0a` library (not ours), as BIGSdb clients sign. */
export function oauthSigner(client: OAuthClientCredentials): OAuth {
  return new OAuth({
    consumer: { key: client.consumerKey, secret: client.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
}

/**
 * The Authorization header of a signed request. `data` is signed: query parameters, and oauth_* parameters
 * (oauth_callback, oauth_verifier, or a forced oauth_timestamp), which also go into the header.
 */
export function oauthHeader(
  client: OAuthClientCredentials,
  method: string,
  url: string,
  data: Record<string, string> = {},
  token?: OAuthToken,
): string {
  const signer = oauthSigner(client);
  const extras = Object.fromEntries(Object.entries(data).filter(([key]) => key.startsWith('oauth_')));
  return signer.toHeader({ ...signer.authorize({ url, method, data }, token), ...extras }).Authorization;
}

/**
 * BIGSdb's whole token dance for one user, without a browser: request token, verifier (POST /auth/oauth/verifier
 * with the user's password), access token, session token. Returns the session token.
 */
export async function oauthSession(
  baseUrl: string,
  client: OAuthClientCredentials,
  database: string,
  user: { email: string; password: string },
): Promise<OAuthToken> {
  const step = async (path: string, token?: OAuthToken, data: Record<string, string> = {}) => {
    const header = oauthHeader(client, 'GET', `${baseUrl}${path}`, data, token);
    const query = Object.entries(data).filter(([k]) => !k.startsWith('oauth_'));
    const res = await fetch(`${baseUrl}${query.length ? `${path}?${new URLSearchParams(query).toString()}` : path}`, {
      headers: { Authorization: header },
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };
  const rt = await step(`/db/${database}/oauth/get_request_token`, undefined, { oauth_callback: 'oob' });
  const verifier = await fetch(`${baseUrl}/auth/oauth/verifier`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ database, oauth_token: rt.oauth_token }),
  });
  if (verifier.status !== 200) throw new Error(`verifier: ${verifier.status} ${await verifier.text()}`);
  const { oauth_verifier } = (await verifier.json()) as { oauth_verifier: string };
  const at = await step(
    `/db/${database}/oauth/get_access_token`,
    { key: rt.oauth_token, secret: rt.oauth_token_secret },
    { oauth_verifier },
  );
  const st = await step(`/db/${database}/oauth/get_session_token`, {
    key: at.oauth_token,
    secret: at.oauth_token_secret,
  });
  return { key: st.oauth_token, secret: st.oauth_token_secret };
}
