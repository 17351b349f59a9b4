import { escapeHtml, htmlPage } from '../html';

const header = (title: string, subtitle = '') =>
  `<header><h1>${escapeHtml(title)}</h1>${subtitle ? `<p>${escapeHtml(subtitle)}</p>` : ''}</header>`;

export function loginPage(next: string, error?: string): string {
  return htmlPage(
    'Log in · Helixgate',
    header('Log in', 'Helixgate') +
      `<main><form class="card" method="post" action="/auth/login">` +
      (error ? `<p class="error" id="login-error">${escapeHtml(error)}</p>` : '') +
      `<input type="hidden" name="next" value="${escapeHtml(next)}">` +
      `<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>` +
      `<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>` +
      `<p><button type="submit" id="log-in">Log in</button></p></form></main>`,
  );
}

export function authorizePage(view: {
  clientName: string;
  database: string;
  token: string;
  csrf: string;
  email: string;
}): string {
  return htmlPage(
    'Authorise access · Helixgate',
    header('Authorise access', `Logged in as ${view.email}`) +
      `<main><form class="card" method="post" action="/db/${encodeURIComponent(view.database)}/oauth/authorize">` +
      `<p><strong id="client-name">${escapeHtml(view.clientName)}</strong> asks to access the <strong>${escapeHtml(view.database)}</strong> database on your behalf.</p>` +
      `<p>It will be able to do what you can do there through the API, until you revoke it. As on BIGSdb, its sessions ` +
      `also reach the other databases of this site that the client is registered for.</p>` +
      `<input type="hidden" name="oauth_token" value="${escapeHtml(view.token)}"><input type="hidden" name="csrf" value="${escapeHtml(view.csrf)}">` +
      `<p><button type="submit" name="decision" value="authorize" id="authorize">Authorise</button> ` +
      `<button type="submit" name="decision" value="deny" class="secondary" id="deny">Deny</button></p></form></main>`,
  );
}

export function verifierPage(clientName: string, verifier: string): string {
  return htmlPage(
    'Access authorised · Helixgate',
    header('Access authorised') +
      `<main><div class="card"><p>Enter this verification code in <strong>${escapeHtml(clientName)}</strong>:</p>` +
      `<p><code class="big" id="verifier">${escapeHtml(verifier)}</code></p><p>It is valid for one exchange, within the hour.</p></div></main>`,
  );
}

export function messagePage(title: string, message: string): string {
  return htmlPage(
    `${title} · Helixgate`,
    header(title) + `<main><div class="card"><p id="message">${escapeHtml(message)}</p></div></main>`,
  );
}
