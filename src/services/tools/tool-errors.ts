// Why a tool could not run, in words that say what to do about it. The same messages serve a
// local run (spawn errors) and a remote one (exit 127 and the tool's own stderr).

export type ToolErrorKind = 'missing' | 'permission' | 'failed';

export class ToolError extends Error {
  constructor(
    readonly kind: ToolErrorKind,
    readonly tool: string,
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

const INSTALL: Record<string, string> = {
  ping: 'on Debian/Ubuntu `apt-get install iputils-ping`, on Fedora/RHEL `dnf install iputils`, on Alpine `apk add iputils`',
  mtr: 'on Debian/Ubuntu `apt-get install mtr-tiny` (or `mtr`), on Fedora/RHEL `dnf install mtr`, on Alpine `apk add mtr`, on macOS `brew install mtr`',
  'mtr-packet': 'it comes with mtr: on Debian/Ubuntu `apt-get install mtr-tiny` (or `mtr`), on Fedora/RHEL `dnf install mtr`',
  fping: 'on Debian/Ubuntu `apt-get install fping`, on Fedora/RHEL `dnf install fping`',
};

const RAW_SOCKET_HOLDER: Record<string, string> = { mtr: 'mtr-packet' };

export function missingTool(tool: string): ToolError {
  const how = INSTALL[tool] ?? 'install it with the system package manager';
  return new ToolError('missing', tool, `${tool} is not installed (or not on PATH): ${how}.`);
}

export function permissionDenied(tool: string, detail: string): ToolError {
  const binary = RAW_SOCKET_HOLDER[tool] ?? tool;
  const said = detail.trim() === '' ? '' : ` (it said: ${detail.trim().split('\n')[0]?.slice(0, 200)})`;
  return new ToolError(
    'permission',
    tool,
    `${tool} may not open the raw socket it needs${said}. Give ${binary} the capability with ` +
      `\`setcap cap_net_raw+ep $(command -v ${binary})\`, or make it setuid root, or run it as root.`,
  );
}

/** What iputils, mtr-packet and BusyBox print when the raw or ICMP socket is refused. */
export function saysPermissionDenied(stderr: string): boolean {
  return /Operation not permitted|Permission denied|socket: .*not permitted|must be root|requires root/i.test(stderr);
}

/** mtr prints this when it cannot start its helper, which is packaged with it. */
export function saysHelperMissing(stderr: string): boolean {
  return /Failure to start mtr-packet|mtr-packet: .*No such file/i.test(stderr);
}
