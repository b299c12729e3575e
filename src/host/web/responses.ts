import type { ServerResponse } from 'node:http';
import type { CallError, Result } from '../../contract/result';

// Headers and short answers shared by every route, so no response leaves without them.

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Svelte sets element styles inline; scripts stay strictly 'self'.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    // 'self' does not cover ws: in every browser, so the event socket is named explicitly.
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function setSecurityHeaders(res: ServerResponse, port: number): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(port));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // Another site's page may not even embed our files (a script or image tag sends no Origin).
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

export function sendBody(res: ServerResponse, status: number, type: string, body: string | Buffer, head = false): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', bytes.length);
  res.end(head ? undefined : bytes);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.setHeader('Cache-Control', 'no-store');
  sendBody(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

export function sendError(res: ServerResponse, status: number, error: CallError): void {
  const envelope: Result<never> = { ok: false, error };
  sendJson(res, status, envelope);
}

export function sendPage(res: ServerResponse, status: number, title: string, text: string, head = false): void {
  res.setHeader('Cache-Control', 'no-store');
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchyard — ${title}</title></head>` +
    `<body><h1>${title}</h1><p>${text}</p></body></html>\n`;
  sendBody(res, status, 'text/html; charset=utf-8', html, head);
}

export const UNAUTHORIZED_TEXT =
  'This Switchyard host needs its access token. Open the URL printed by <code>switchyard serve</code> ' +
  '(it ends in <code>?token=…</code>); a host that was restarted prints a new one.';

export const UNAUTHORIZED_MESSAGE =
  'Not signed in to this Switchyard host: open the URL printed by `switchyard serve` (a restarted host prints a new one).';

export const FORBIDDEN_TEXT =
  'Switchyard answers only to http://127.0.0.1 and http://localhost on its own port, and only to its own pages.';
