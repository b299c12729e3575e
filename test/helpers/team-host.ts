import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Caller } from '../../src/host/caller';
import { resolveTeamConfig, type TeamFlags } from '../../src/host/web/team-config';
import { startTeamHost, type TeamHost } from '../../src/host/web/team-server';
import { createFakeHost, type FakeHost } from './fake-host';
import { createTestAccounts, recordingAudit, type RecordedAudit, type TestAccounts } from './team-accounts';
import { makeTestCa } from './test-certs';

// A team web host for tests: a real TLS certificate made by openssl (a CA the clients trust, a
// leaf for the names given), accounts ana (operator), vic (viewer) and root (admin), a recording
// audit log, the dispatch's callers kept, and a clock the test moves.

export const PASSWORD = 'correct horse battery staple';

export interface TeamFixture {
  host: TeamHost;
  app: FakeHost;
  accounts: TestAccounts;
  audit: RecordedAudit;
  /** Every caller dispatch ran a call as. */
  callers: Caller[];
  logged: string[];
  ca: string;
  dir: string;
  port: number;
  clock: { now(): number; advance(ms: number): void };
  close(): Promise<void>;
}

export async function startTeamFixture(
  options: { flags?: Partial<TeamFlags>; sans?: string[]; staticDir?: string } = {},
): Promise<TeamFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-team-'));
  const ca = makeTestCa(path.join(dir, 'ca'));
  const leaf = ca.leaf({ name: 'host', cn: 'noc.test', sans: options.sans ?? ['DNS:noc.test', 'IP:127.0.0.1'], toDays: 30 });
  writeFileSync(path.join(dir, 'host.pem'), leaf.certPem);
  writeFileSync(path.join(dir, 'host.key'), leaf.keyPem);
  const staticDir = options.staticDir ?? path.join(dir, 'static');
  if (options.staticDir === undefined) {
    mkdirSync(staticDir);
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Switchyard</title>SWITCHYARD-CONSOLE');
  }
  let now = Date.now();
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const accounts = createTestAccounts(clock.now);
  accounts.add('ana', 'operator', PASSWORD);
  accounts.add('vic', 'viewer', PASSWORD);
  accounts.add('root', 'admin', PASSWORD);
  const audit = recordingAudit();
  const app = createFakeHost();
  const callers: Caller[] = [];
  const dispatch: FakeHost['dispatch'] = (method, input, caller) => {
    if (caller !== undefined) callers.push(caller);
    return app.dispatch(method, input, caller);
  };
  const config = resolveTeamConfig(
    {
      listen: '127.0.0.1:0',
      tlsCert: path.join(dir, 'host.pem'),
      tlsKey: path.join(dir, 'host.key'),
      names: ['noc.test'],
      ...options.flags,
    },
    dir,
  )!;
  const logged: string[] = [];
  const host = await startTeamHost({
    app: { ...app, dispatch },
    config,
    accounts,
    audit,
    staticDir,
    now: clock.now,
    log: (line) => logged.push(line),
  });
  return {
    host,
    app,
    accounts,
    audit,
    callers,
    logged,
    ca: ca.caPem,
    dir,
    port: host.address.port,
    clock,
    async close() {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TeamRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Where to connect (default 127.0.0.1:port); the Host header is separate. */
  connect?: { host: string; port: number };
  agent?: Agent;
  /** The client's own address (127.0.0.2 to look like another machine to a proxy). */
  localAddress?: string;
}

/** One HTTPS request trusting only the fixture's CA; Host defaults to noc.test. */
export function teamSend(fixture: Pick<TeamFixture, 'ca' | 'port'>, options: TeamRequest = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = options.connect ?? { host: '127.0.0.1', port: fixture.port };
    const settings: RequestOptions = {
      host: target.host,
      port: target.port,
      servername: 'noc.test',
      ca: fixture.ca,
      method: options.method ?? 'GET',
      path: options.path ?? '/',
      headers: { host: `noc.test:${fixture.port}`, ...options.headers },
      agent: options.agent ?? false,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    };
    const req = request(settings, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function signInRequest(name: string, password: string, extra: Partial<TeamRequest> = {}): TeamRequest {
  return {
    method: 'POST',
    path: '/api/sign-in',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
    ...extra,
  };
}

/** Signs in and returns the Cookie header value to send back. */
export async function signIn(fixture: Pick<TeamFixture, 'ca' | 'port'>, name: string, password = PASSWORD): Promise<string> {
  const reply = await teamSend(fixture, signInRequest(name, password));
  const cookie = String(reply.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  if (reply.status !== 200 || cookie === '') throw new Error(`sign-in of ${name} answered ${reply.status}: ${reply.body}`);
  return cookie;
}

export function teamCall(
  fixture: Pick<TeamFixture, 'ca' | 'port'>,
  cookie: string,
  method: string,
  input: unknown = {},
  headers: Record<string, string> = {},
) {
  return teamSend(fixture, {
    method: 'POST',
    path: '/api/call',
    headers: { 'content-type': 'application/json', cookie, ...headers },
    body: JSON.stringify({ method, input }),
  });
}

export type SocketOutcome = { opened: WebSocket } | { refused: number };

export function teamEvents(fixture: Pick<TeamFixture, 'ca' | 'port'>, headers: Record<string, string>): Promise<SocketOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`wss://127.0.0.1:${fixture.port}/api/events`, ['switchyard.events'], {
      headers: { host: `noc.test:${fixture.port}`, ...headers },
      // ws hands TLS options on to tls.connect; its types list only some of them.
      ...({ ca: fixture.ca, servername: 'noc.test' } as object),
    });
    socket.once('open', () => resolve({ opened: socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}
