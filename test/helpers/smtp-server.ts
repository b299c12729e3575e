// A real SMTP server on 127.0.0.1 for email tests: Debian's aiosmtpd, run by smtp-server.py with
// the system's /usr/bin/python3 (the python3 first on PATH may be another one, without the
// module). Certificates come from a test CA made by openssl (test-certs.ts); the server's
// leaf names 127.0.0.1 and localhost. Messages it accepts are recorded in `messages`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';
import { makeTestCa } from './test-certs';
import { until } from './until';
import { stopperFor } from './stop-child';

export interface ReceivedMail {
  mailFrom: string;
  rcptTos: string[];
  subject: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
  /** The message came over TLS (STARTTLS or implicit). */
  tls: boolean;
  /** The user it logged in as, null without AUTH. */
  login: string | null;
  mechanism: string | null;
}

export interface SmtpServerOptions {
  security: 'none' | 'starttls' | 'tls';
  /** Require AUTH with this user and password (LOGIN and PLAIN, or only `mechanism`). */
  auth?: { user: string; password: string; mechanism?: 'LOGIN' | 'PLAIN' };
}

export interface TestSmtpServer {
  port: number;
  /** The CA that signed the server's certificate (PEM); trust it to connect over TLS. */
  caPem: string;
  messages: ReceivedMail[];
  stop(): Promise<void>;
}

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'smtp-server.py');
const PYTHON = '/usr/bin/python3';

export async function startSmtpServer(options: SmtpServerOptions): Promise<TestSmtpServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-smtp-'));
  const ca = makeTestCa(dir);
  ca.leaf({ name: 'smtp', cn: '127.0.0.1', sans: ['IP:127.0.0.1', 'DNS:localhost'], toDays: 2 });
  const port = await freePort();
  const argv = [
    SCRIPT,
    '--port',
    String(port),
    '--security',
    options.security,
    '--cert',
    path.join(dir, 'smtp.pem'),
    '--key',
    path.join(dir, 'smtp.key'),
  ];
  if (options.auth) {
    argv.push('--user', options.auth.user, '--password', options.auth.password);
    if (options.auth.mechanism) argv.push('--only-mechanism', options.auth.mechanism);
  }
  const child: ChildProcess = spawn(PYTHON, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  const messages: ReceivedMail[] = [];
  let ready = false;
  let pending = '';
  let log = '';
  child.stdout?.on('data', (data: Buffer) => {
    pending += data.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'READY') ready = true;
      else if (line.startsWith('MESSAGE ')) messages.push(JSON.parse(line.slice('MESSAGE '.length)) as ReceivedMail);
    }
  });
  child.stderr?.on('data', (data: Buffer) => (log = (log + data.toString()).slice(-20_000)));
  const stop = stopperFor(child, dir);
  try {
    await until('aiosmtpd to listen', () => {
      if (child.exitCode !== null) throw new Error(`aiosmtpd exited (${child.exitCode}): ${log}`);
      return ready;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, caPem: ca.caPem, messages, stop };
}
