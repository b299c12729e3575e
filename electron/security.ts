import { shell, type Session, type WebContents } from 'electron';

/**
 * The window's Content-Security-Policy. It is sent as a response header for pages served over
 * http (the dev server) and repeated as a <meta> tag in src/ui/index.html, because pages loaded
 * from file:// carry no response headers for Electron to rewrite. The meta tag carries the same
 * directives except `frame-ancestors`, which browsers ignore (with a console error) in a meta
 * tag; a test holds the two together. `style-src 'unsafe-inline'` is for Svelte transitions and
 * chart libraries that set inline styles; scripts stay 'self' only. Kept as one literal, not
 * assembled at run time, so scanners and reviewers read the policy exactly as it is sent.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Schemes a link may hand to the operating system. Anything else (file:, smb:, custom protocol
 * handlers that launch programs) is refused: a link in a server name or a log line must not be
 * able to run something on the operator's machine. */
const EXTERNAL_SCHEMES: ReadonlySet<string> = new Set(['https:']);

/** Whether a URL is one the app may open in the user's browser. */
export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  // Credentials in a link are a phishing device (https://bank.example@evil.example/).
  return EXTERNAL_SCHEMES.has(url.protocol) && url.username === '' && url.password === '';
}

/**
 * The one place Switchyard hands a URL to the operating system; a test forbids
 * `shell.openExternal` anywhere else in electron/.
 */
export async function safeOpenExternal(raw: string): Promise<boolean> {
  if (!isSafeExternalUrl(raw)) return false;
  await shell.openExternal(new URL(raw).href);
  return true;
}

/** Decides whether a URL is one of our own pages (see window.ts for how it is built). */
export type OriginCheck = (url: string) => boolean;

/**
 * Session-wide rules: Electron grants every permission (camera, notifications, geolocation,
 * clipboard read, HID...) unless told otherwise, and Switchyard needs none of them.
 */
export function hardenSession(session: Session, isOurs: OriginCheck): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isOurs(details.url)) {
      callback({});
      return;
    }
    // Drop whatever CSP the server sent (any casing) so ours is the only one in force.
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

/**
 * Per-contents rules, applied to every WebContents the app creates: no navigation away from our
 * pages, no new windows (https links go to the user's browser instead), no <webview>.
 */
export function hardenWebContents(contents: WebContents, isOurs: OriginCheck): void {
  contents.on('will-navigate', (event, url) => {
    if (!isOurs(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isOurs(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void safeOpenExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}
