import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type Nginx } from '../helpers/nginx';
import { PASSWORD, signInRequest, startTeamFixture, teamCall, teamEvents, teamSend, type TeamFixture } from '../helpers/team-host';

// The team host behind Debian's nginx on loopback, configured as docs/team-host.md says: nginx
// terminates TLS and forwards to the host on 127.0.0.1 over plain HTTP; with --trust-proxy the
// host takes the client's address, the name and the scheme from nginx's X-Forwarded-* headers.
// The client connects from 127.0.0.2, so its address differs from nginx's own (127.0.0.1).

let team: TeamFixture;
let nginx: Nginx;
let proxied: { ca: string; port: number };

beforeAll(async () => {
  team = await startTeamFixture({ flags: { tlsCert: undefined, tlsKey: undefined, trustProxy: true } });
  nginx = await startNginx({
    dir: team.dir,
    backendPort: team.port,
    cert: path.join(team.dir, 'host.pem'),
    key: path.join(team.dir, 'host.key'),
    serverName: 'noc.test',
  });
  proxied = { ca: team.ca, port: nginx.port };
});
afterAll(async () => {
  await nginx?.stop();
  await team?.close();
});

describe('team host behind nginx', () => {
  it('signs in through the proxy and records the client address nginx saw, not a forged one', async () => {
    const reply = await teamSend(proxied, {
      ...signInRequest('ana', PASSWORD, { localAddress: '127.0.0.2' }),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.6.6.6', origin: `https://noc.test:${nginx.port}` },
    });
    expect(reply.status, nginx.errorLog()).toBe(200);
    expect(team.audit.entries.at(-1)).toMatchObject({ kind: 'sign-in', account: 'ana', address: '127.0.0.2' });
    const cookie = String(reply.headers['set-cookie']?.[0]).split(';')[0]!;
    const call = await teamCall(proxied, cookie, 'fleet:list-servers', {}, { origin: `https://noc.test:${nginx.port}` });
    expect(call.status).toBe(200);
    expect(team.callers.at(-1)).toEqual({ account: 'ana', role: 'operator', address: '127.0.0.1' });
  });

  it('delivers live events over wss through the proxy', async () => {
    team.clock.advance(61_000);
    const signedIn = await teamSend(proxied, signInRequest('vic', PASSWORD));
    const cookie = String(signedIn.headers['set-cookie']?.[0]).split(';')[0]!;
    const outcome = await teamEvents(proxied, { cookie, origin: `https://noc.test:${nginx.port}` });
    if (!('opened' in outcome)) throw new Error(`socket refused through nginx: ${outcome.refused}`);
    const heard = new Promise((resolve) => outcome.opened.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
    team.app.events.emit('fleet:changed', { entity: 'servers' });
    expect(await heard).toMatchObject({ event: 'fleet:changed', payload: { entity: 'servers' } });
    outcome.opened.close();
  });

  it('still refuses another name and another origin behind the proxy', async () => {
    const rebound = await teamSend(proxied, { path: '/', headers: { host: `evil.example:${nginx.port}` } });
    expect(rebound.status).toBe(421);
    // The scheme the browser used is nginx's https, so an http:// origin of the same name is another origin.
    const forged = await teamSend(proxied, {
      ...signInRequest('ana', PASSWORD),
      headers: { 'content-type': 'application/json', origin: `http://noc.test:${nginx.port}` },
    });
    expect(forged.status).toBe(403);
  });
});
