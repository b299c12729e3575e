// Who is signed in, on a team host: `GET /api/me` answers the account and role; the loopback
// host and the desktop app have no accounts (the call is refused there) and show nothing.

export interface TeamAccount {
  account: string;
  role: string;
}

export async function fetchTeamAccount(
  fetchCall: (url: string, init: RequestInit) => Promise<Response> = fetch,
): Promise<TeamAccount | null> {
  try {
    const reply = await fetchCall('/api/me', { credentials: 'same-origin' });
    if (!reply.ok) return null;
    const body: unknown = await reply.json();
    if (typeof body !== 'object' || body === null || !('data' in body)) return null;
    const data = body.data;
    if (typeof data !== 'object' || data === null || !('account' in data) || !('role' in data)) return null;
    return typeof data.account === 'string' && typeof data.role === 'string' ? { account: data.account, role: data.role } : null;
  } catch {
    return null;
  }
}

/** Ends this session (or all of the account's); the host answers the same whether or not it was live. */
export async function signOutOfTeam(
  path: '/api/sign-out' | '/api/sign-out-everywhere',
  fetchCall: (url: string, init: RequestInit) => Promise<Response> = fetch,
): Promise<void> {
  try {
    await fetchCall(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{}' });
  } catch {
    // The reload that follows shows whatever state the host is in.
  }
}
