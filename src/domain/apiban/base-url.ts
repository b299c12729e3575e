// The APIBAN key travels in the request path (`/api/{KEY}/banned/{ID}`), so the base URL decides
// who can read it. https only, unless the operator names the one test host (host and port, as in
// the URL) that may be spoken to in plain http — a loopback APIBAN in a lab, never apiban.org.

export const DEFAULT_APIBAN_BASE = 'https://apiban.org';

/** The `host[:port]` of a URL as the operator writes it for "allow plain http for". */
export function hostOfUrl(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Reads a base URL: https (or http for exactly the named test host), no credentials, query or
 * fragment. Returns the URL without trailing slashes, or the reason it is refused.
 */
export function checkBaseUrl(text: string, httpHost: string | null): { url: string } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(text.trim());
  } catch {
    return { error: `"${text.trim().slice(0, 80)}" is not a URL; use https://apiban.org or your mirror's https address` };
  }
  if (parsed.username !== '' || parsed.password !== '')
    return { error: 'must not hold a user name or password; the APIBAN key is entered in its own field' };
  if (parsed.search !== '' || parsed.hash !== '') return { error: 'must not hold a query (?…) or fragment (#…)' };
  if (parsed.protocol === 'http:') {
    if (isApibanOrg(parsed.hostname))
      return { error: 'is plain http; apiban.org is only ever spoken to over https: use https://apiban.org' };
    if (httpHost === null || parsed.host.toLowerCase() !== httpHost.toLowerCase()) {
      return {
        error: `is plain http, which would send your APIBAN key unencrypted; use https, or allow plain http for the test host "${parsed.host}" explicitly`,
      };
    }
  } else if (parsed.protocol !== 'https:') {
    return { error: 'must start with https://' };
  }
  return { url: `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}` };
}

/**
 * "Allow plain http for" as typed: a host name or address with an optional port (`127.0.0.1:8080`,
 * `apiban.lab`), lower case; null clears it.
 */
export function parseHttpHost(text: string): { host: string } | { error: string } {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return { error: 'is empty; clear it instead to allow no plain http host' };
  const host = hostOfUrl(`http://${trimmed}`);
  if (host === null || host !== trimmed.replace(/:80$/, ''))
    return { error: `"${text.trim().slice(0, 80)}" is not a host name or address with an optional port, such as 127.0.0.1:8080` };
  if (isApibanOrg(host.replace(/:\d+$/, ''))) return { error: 'apiban.org itself is always spoken to over https' };
  return { host };
}

function isApibanOrg(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'apiban.org' || name.endsWith('.apiban.org');
}
