// The team host's sign-in page: served in place of the console to a browser without a live
// session. A plain HTML form that works with no script at all (the CSP allows posting only to
// this host); one small script of ours applies the console's theme choice, kept per browser in
// localStorage as the console keeps it. Colours are the console's own tokens (theme.css), so
// the page looks like the app it opens, in both themes.

export const SIGN_IN_SCRIPT_PATH = '/sign-in.js';

export const SIGN_IN_SCRIPT = `try{if(localStorage.getItem('switchyard.theme')==='light')document.documentElement.dataset.theme='light'}catch(e){}\n`;

export interface SignInPageOptions {
  /** The name the host is reached by, shown so the user knows which host asks. */
  host: string;
  /** A refusal to show above the form (wrong password, throttled, session ended). */
  error?: string | undefined;
  /** The name typed before, kept on a refusal. */
  name?: string | undefined;
  /** Where to go after signing in (a path on this host). */
  next?: string | undefined;
}

export function signInPage(options: SignInPageOptions): string {
  const error =
    options.error === undefined
      ? ''
      : `<p class="error" role="alert" id="sign-in-error"><span aria-hidden="true">✕</span> ${escapeHtml(options.error)}</p>`;
  const described = options.error === undefined ? '' : ' aria-describedby="sign-in-error"';
  return `<!doctype html>
<html lang="en" data-theme="dark">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — Switchyard</title>
<link rel="icon" type="image/svg+xml" href="${FAVICON}">
<script src="${SIGN_IN_SCRIPT_PATH}"></script>
<style>${STYLE}</style>
</head>
<body>
<main>
<form method="post" action="/api/sign-in" autocomplete="on">
<h1><svg viewBox="0 0 20 20" width="22" height="22" aria-hidden="true"><rect width="20" height="20" rx="4" fill="var(--surface-3)"/><path d="M2 5h6l4 10h6M2 15h6l1.5-3.7M12 5h6M10.5 8.7 12 5" fill="none" stroke="var(--accent)" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg> Switchyard</h1>
<p class="where">Sign in to the team host <span class="mono">${escapeHtml(options.host)}</span></p>
${error}
<label for="name">Account</label>
<input id="name" name="name" autocomplete="username" required maxlength="64" value="${escapeHtml(options.name ?? '')}"${described}${options.name ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${described}${options.name ? ' autofocus' : ''}>
<input type="hidden" name="next" value="${escapeHtml(options.next ?? '/')}">
<button type="submit">Sign in</button>
<p class="hint">No account yet? An admin makes one on the host: <code>switchyard user add NAME --role viewer</code></p>
</form>
</main>
</body>
</html>
`;
}

/** The console's icon inline: its built copy has a hashed name this page does not know. */
const FAVICON = `data:image/svg+xml,${encodeURIComponent(readIcon())}`;

function readIcon(): string {
  return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"><rect width="20" height="20" rx="4" fill="#151a20"/><path d="M2 5h6l4 10h6M2 15h6l1.5-3.7M12 5h6M10.5 8.7 12 5" fill="none" stroke="#6cb2ff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root,:root[data-theme='dark']{color-scheme:dark;--bg:#0e1115;--surface:#151a20;--surface-3:#232a34;--input-bg:#0e1115;--border:#2a323d;--border-strong:#3a4452;--text:#dde3ea;--text-muted:#97a1ae;--accent:#6cb2ff;--accent-strong:#2f7fd8;--accent-text:#fff;--danger:#ff7a70;--danger-bg:#3a1716;--focus:#8cc4ff;--shadow:0 8px 28px rgb(0 0 0 / .55)}
:root[data-theme='light']{color-scheme:light;--bg:#eef1f4;--surface:#fff;--surface-3:#e8ecf0;--input-bg:#fff;--border:#d3d9e0;--border-strong:#b5bec9;--text:#161b22;--text-muted:#4f5966;--accent:#0b5cb8;--accent-strong:#0b5cb8;--accent-text:#fff;--danger:#b3261e;--danger-bg:#fbe9e7;--focus:#0b5cb8;--shadow:0 8px 28px rgb(20 30 45 / .18)}
*{box-sizing:border-box}
html,body{margin:0;height:100%;background:var(--bg);color:var(--text);font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Liberation Sans',sans-serif;font-size:13px;line-height:1.4}
main{min-height:100%;display:grid;place-items:center;padding:24px}
form{width:min(360px,100%);background:var(--surface);border:1px solid var(--border);border-radius:8px;box-shadow:var(--shadow);padding:24px 24px 18px;display:flex;flex-direction:column;gap:6px}
h1{display:flex;align-items:center;gap:8px;font-size:18px;font-weight:600;margin:0 0 2px}
.where{color:var(--text-muted);margin:0 0 10px}
.mono,code{font-family:ui-monospace,'DejaVu Sans Mono','Liberation Mono',Menlo,Consolas,monospace;font-size:12px}
label{font-weight:600;margin-top:6px}
input{font:inherit;font-size:14px;color:var(--text);background:var(--input-bg);border:1px solid var(--border-strong);border-radius:4px;padding:7px 9px}
input:focus-visible,button:focus-visible{outline:2px solid var(--focus);outline-offset:1px}
input[aria-describedby]{border-color:var(--danger)}
button{margin-top:14px;font:inherit;font-size:14px;font-weight:600;color:var(--accent-text);background:var(--accent-strong);border:1px solid var(--accent-strong);border-radius:4px;padding:8px 12px;cursor:pointer}
button:hover{filter:brightness(1.1)}
.error{margin:0 0 4px;padding:8px 10px;border-radius:4px;background:var(--danger-bg);color:var(--danger);border:1px solid var(--danger)}
.hint{color:var(--text-muted);margin:12px 0 0;font-size:12px}
`;
