// A webhook's URL carries its token (Slack's /services/T…/B…/XXXX, Teams' sig=…), and the
// PagerDuty routing key and the SMTP password are secrets too. Error texts go to the delivery
// log, the UI and channel-failing alerts, so they name a receiver by scheme://host:port only, and
// anything a receiver echoes back (a 404 page quoting the path) has the secrets cut out.

/** "https://hooks.slack.com:443": where a request went, without path, query or user info. */
export function origin(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
  return `${url.protocol}//${url.hostname}${port ? `:${port}` : ''}`;
}

/** Every piece of a URL that may hold a token: the whole, its path and query, and their parts. */
export function urlSecrets(url: URL): string[] {
  const parts = [url.href, `${url.pathname}${url.search}`, url.pathname, url.search, url.hash, url.username, url.password];
  for (const segment of url.pathname.split('/')) {
    parts.push(segment);
    try {
      parts.push(decodeURIComponent(segment));
    } catch {
      // A malformed escape: the raw segment is already listed.
    }
  }
  for (const [name, value] of url.searchParams) parts.push(value, `${name}=${value}`);
  return parts;
}

/**
 * Cuts each secret out of a text, longest first. Pieces under 6 characters ("/", "v2", "api")
 * are left alone: they are not tokens, and cutting them would garble the message.
 */
export function redactor(secrets: readonly (string | null | undefined)[]): (text: string) => string {
  const pieces = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => pieces.reduce((out, piece) => out.split(piece).join('[redacted]'), text);
}
