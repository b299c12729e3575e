import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLoadReport } from '../../src/domain/ssh/load-report';
import { renderCommand, renderRecipe, findRecipe } from '../../src/domain/ssh/recipe';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { connect, type SshConnection } from '../../src/services/ssh/connect';
import { exec } from '../../src/services/ssh/exec';
import { HOSTILE_ARGS } from '../helpers/hostile-args';
import { clientSetup, keyTarget, type ClientSetup } from '../helpers/ssh-client';
import { startSshd, type Sshd } from '../helpers/sshd';

let sshd: Sshd;
let client: ClientSetup;
let conn: SshConnection;

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  client = clientSetup('accept');
  conn = await connect(keyTarget('127.0.0.1', sshd.port), client.options());
});
afterAll(async () => {
  conn?.close();
  await sshd?.stop();
  client?.cleanup();
});

describe('parameters reach the server as literal text', () => {
  it.each(HOSTILE_ARGS.map((arg) => [JSON.stringify(arg), arg]))(
    '%s round-trips through sshd and the remote shell',
    async (_label, arg) => {
      const value = arg.replaceAll('MARKER', path.join(sshd.workDir, 'pwned'));
      const rendered = renderCommand(['printf', '%s|', '{value}'], { value });
      // Run from the marker's folder too, so a relative `touch` would land where we look.
      const result = await exec(conn, ['sh', '-c', `cd "$1" && ${rendered.line}`, 'sh', sshd.workDir]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${value}|`);
      expect(readdirSync(sshd.workDir)).toEqual([]);
    },
  );

  it('keeps several hostile arguments apart, one argv element each', async () => {
    const args = HOSTILE_ARGS.map((a) => a.replaceAll('MARKER', 'pwned'));
    const result = await exec(conn, ['printf', '[%s]', ...args]);
    expect(result.stdout).toBe(args.map((a) => `[${a}]`).join(''));
  });
});

describe('the default recipes', () => {
  const book = defaultRecipeBook();

  it('the load probe prints one JSON report through the real sshd', async () => {
    const probe = renderCommand(book.probes.load.command, {}, book.probes.load.defaults);
    const result = await exec(conn, probe.argv, { timeoutMs: book.probes.load.timeoutSec * 1000 });
    expect(result.code).toBe(0);
    const parsed = parseLoadReport(result.stdout);
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    expect(parsed.report.memory.totalKb).toBeGreaterThan(0);
    expect(parsed.report.uptimeSec).toBeGreaterThan(0);
    // No Kamailio answers on the default control socket here: no calls, and the reason, never a made-up zero.
    expect(parsed.report.calls).toBeNull();
    expect(parsed.report.callsError?.code).toMatch(/kamcmd-missing|ctl-unreachable/);
    expect(parsed.report.pendingUpdates === null || Number.isInteger(parsed.report.pendingUpdates)).toBe(true);
  });

  // Calls read by the shipped load probe from a real Kamailio carrying SIPp calls: load-calls-kamailio.test.ts.

  it('a service name with shell syntax is passed to systemctl as one argument after --', async () => {
    // The service name is the recipe book's (an operator cannot supply it per run); even a book
    // that sets shell text there gets it to systemctl as one literal argument.
    expect(() => renderRecipe(findRecipe(book, 'start', 'switch'), { service: 'kamailio; touch pwned' }, book.defaults)).toThrow(
      /"service" is set by the recipe book/,
    );
    const start = renderRecipe(findRecipe(book, 'start', 'switch'), {}, { ...book.defaults, service: 'kamailio; touch pwned' });
    expect(start.argv).toEqual(['systemctl', 'start', '--', 'kamailio; touch pwned']);
    // Run with printf standing in for systemctl (no systemd here): the arguments arrive intact.
    const result = await exec(conn, ['printf', '<%s>', ...start.argv.slice(1)]);
    expect(result.stdout).toBe('<start><--><kamailio; touch pwned>');
    expect(existsSync(path.join(sshd.workDir, 'pwned'))).toBe(false);
  });
});
