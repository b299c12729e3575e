import { BrowserWindow, dialog, session, type Session, type WebContents } from 'electron';
import {
  certificateVerdict,
  openTeamPins,
  parseTeamUrl,
  readPresentedCertificate,
  TeamHostError,
  type CertificatePins,
} from '../src/host/team-client';

// File → Connect to team host…: the desktop app as a client of a team host. The window loads the
// team host's own page (its sign-in, then the same console through the web transport), in a
// session of its own whose every TLS connection must present the pinned certificate. SSH
// secrets used by actions stay in the team host's secret store: the contract never sends one to
// a client, so this window never holds any. The pinning logic lives in src/services/team-client
// and is tested there; this file only asks the operator and wires Electron.

/** Cookies of the team host (its session) are kept apart from the local console's. */
export const TEAM_PARTITION = 'persist:team-host';

/** Where the prompt's form "submits": cancelled in will-navigate, never resolved (.invalid). */
const SUBMIT_URL = 'https://connect.switchyard.invalid/';

let pins: CertificatePins | null = null;
let teamOrigin: string | null = null;
let teamWindow: BrowserWindow | null = null;

function pinsIn(dataDir: string): CertificatePins {
  pins ??= openTeamPins(dataDir);
  return pins;
}

export function isTeamContents(contents: WebContents): boolean {
  return contents.session === session.fromPartition(TEAM_PARTITION);
}

/** The team window may navigate within its team host's origin only. */
export function isTeamUrl(url: string): boolean {
  try {
    return teamOrigin !== null && new URL(url).origin === teamOrigin;
  } catch {
    return false;
  }
}

/** The team session: no permissions, and the pin checked on every TLS connection it opens. */
function hardenTeamSession(teamSession: Session, current: CertificatePins): void {
  teamSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  teamSession.setPermissionCheckHandler(() => false);
  teamSession.setDevicePermissionHandler(() => false);
  teamSession.setCertificateVerifyProc((request, callback) => {
    callback(teamOrigin === null ? -2 : certificateVerdict(current, teamOrigin, request.hostname, request.certificate.data));
  });
}

const PROMPT_HTML = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action https://connect.switchyard.invalid">
<title>Connect to team host</title>
<style>body{font:14px system-ui,sans-serif;background:#111418;color:#e6e9ee;margin:20px}
input{width:100%;box-sizing:border-box;padding:6px;font:inherit;margin:6px 0 12px}button{padding:6px 14px;font:inherit}
p{color:#a9b1bd;margin:0 0 10px}</style></head><body>
<form action="${SUBMIT_URL}" method="get"><label for="url">Team host URL</label>
<input id="url" name="url" type="url" required autofocus placeholder="https://noc.example:8443/">
<p>Its certificate's SHA-256 fingerprint is shown before it is trusted, and pinned: a changed certificate is refused.</p>
<button type="submit">Connect</button></form></body></html>`;

/** Asks for the URL in a small window; resolves null when it is closed. */
function askForUrl(parent: BrowserWindow | null): Promise<string | null> {
  const prompt = new BrowserWindow({
    width: 460,
    height: 230,
    resizable: false,
    minimizable: false,
    title: 'Connect to team host',
    ...(parent === null ? {} : { parent, modal: true }),
    // Middle-click would open the form's target in a new window: off, as in the console's window.
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, spellcheck: false, disableBlinkFeatures: 'Auxclick' },
  });
  prompt.setMenuBarVisibility(false);
  return new Promise((resolve) => {
    let answered = false;
    prompt.webContents.on('will-navigate', (event, url) => {
      event.preventDefault();
      if (!url.startsWith(SUBMIT_URL)) return;
      answered = true;
      resolve(new URL(url).searchParams.get('url'));
      prompt.close();
    });
    prompt.on('closed', () => {
      if (!answered) resolve(null);
    });
    void prompt.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(PROMPT_HTML)}`);
  });
}

/** Trust on first use, as SSH asks about a host key; a changed certificate offers an explicit re-pin. */
async function trusted(parent: BrowserWindow | null, current: CertificatePins, origin: string): Promise<boolean> {
  const presented = await readPresentedCertificate(origin);
  const verdict = current.check(origin, presented.sha256, false);
  if (verdict.kind === 'match') return true;
  const show = (options: Electron.MessageBoxOptions) =>
    parent === null ? dialog.showMessageBox(options) : dialog.showMessageBox(parent, options);
  if (verdict.kind === 'first-use') {
    const answer = await show({
      type: 'question',
      buttons: ['Trust and connect', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'New team host',
      message: `Switchyard has not connected to ${origin} before.`,
      detail: `Its certificate (${presented.subject || 'no common name'}, valid to ${presented.validTo}) has the SHA-256 fingerprint\n\n${presented.sha256}\n\nCompare it with the one the team host's administrator gave you. Once trusted, only this certificate is accepted.`,
    });
    if (answer.response !== 0) return false;
    current.check(origin, presented.sha256, true);
    return true;
  }
  const answer = await show({
    type: 'warning',
    buttons: ['Refuse', 'Trust the new certificate…'],
    defaultId: 0,
    cancelId: 0,
    title: 'Team host certificate changed',
    message: `The connection to ${origin} was refused: its certificate changed.`,
    detail: verdict.message,
  });
  if (answer.response !== 1) return false;
  const sure = await show({
    type: 'warning',
    buttons: ['Keep refusing', 'Re-pin'],
    defaultId: 0,
    cancelId: 0,
    title: 'Re-pin the team host',
    message: `Trust ${presented.sha256} for ${origin} from now on?`,
    detail: 'Do this only after the administrator confirmed the renewal: a changed certificate is also what an interception looks like.',
  });
  if (sure.response !== 1) return false;
  current.repin(origin, presented.sha256);
  return true;
}

/**
 * The whole menu item: ask, check the pin, open (or replace) the team host's window. Once its page
 * has loaded, `onConnected` runs: the shell closes its own host and window there, so the desktop is
 * a client of the team host instead of a second prober of the same fleet.
 */
export async function connectToTeamHost(options: {
  dataDir: string;
  parent: BrowserWindow | null;
  onConnected?: () => Promise<void>;
}): Promise<void> {
  const raw = await askForUrl(options.parent);
  if (raw === null || raw.trim() === '') return;
  try {
    const target = parseTeamUrl(raw);
    const current = pinsIn(options.dataDir);
    if (!(await trusted(options.parent, current, target.origin))) return;
    teamOrigin = target.origin;
    const teamSession = session.fromPartition(TEAM_PARTITION);
    hardenTeamSession(teamSession, current);
    if (teamWindow !== null && !teamWindow.isDestroyed()) teamWindow.close();
    const window = new BrowserWindow({
      width: 1400,
      height: 900,
      title: `Switchyard — ${target.origin}`,
      backgroundColor: '#111418',
      webPreferences: {
        // The team host's page is a web page like any other: no preload, no Node, sandboxed.
        partition: TEAM_PARTITION,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // No middle-click into new windows: the team window may move within its team host only.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    teamWindow = window;
    window.on('closed', () => {
      if (teamWindow === window) teamWindow = null;
    });
    await window.loadURL(target.url);
    await options.onConnected?.();
  } catch (error) {
    const message = error instanceof TeamHostError || error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Switchyard could not connect to the team host', message);
  }
}
