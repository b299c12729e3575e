import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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
  it.each(HOSTILE_ARGS.map((arg) => [JSON.stringify(arg), arg]))('%s round-trips through sshd and the remote shell', async (_label, arg) => {
    const value = arg.replaceAll('MARKER', path.join(sshd.workDir, 'pwned'));
    const rendered = renderCommand(['printf', '%s|', '{value}'], { value });
    // Run from the marker's folder too, so a relative `touch` would land where we look.
    const result = await exec(conn, ['sh', '-c', `cd "$1" && ${rendered.line}`, 'sh', sshd.workDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${value}|`);
    expect(readdirSync(sshd.workDir)).toEqual([]);
  });

  it('keeps several hostile arguments apart, one argv element each', async () => {
    const args = HOSTILE_ARGS.map((a) => a.replaceAll('MARKER', 'pwned'));
    const result = await exec(conn, ['printf', '[%s]', ...args]);
    expect(result.stdout).toBe(args.map((a) => `[${a}]`).join(''));
  });
});

describe('the default recipes', () => {
  const book = defaultRecipeBook();

  it('the load probe prints one JSON report through the real sshd', async () => {
    const probe = renderCommand(book.probes.load.command, {});
    const result = await exec(conn, probe.argv, { timeoutMs: book.probes.load.timeoutSec * 1000 });
    expect(result.code).toBe(0);
    const parsed = parseLoadReport(result.stdout);
    expect(parsed).toMatchObject({ ok: true });
    if (!parsed.ok) return;
    expect(parsed.report.memory.totalKb).toBeGreaterThan(0);
    expect(parsed.report.uptimeSec).toBeGreaterThan(0);
    // No SIP server runs here, so its counter is absent: null, never a made-up zero.
    expect(parsed.report.channels === null || Number.isInteger(parsed.report.channels)).toBe(true);
    expect(parsed.report.pendingUpdates === null || Number.isInteger(parsed.report.pendingUpdates)).toBe(true);
  });

  it('the load probe reads active channels from kamcmd when one answers', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-kamcmd-'));
    try {
      // A stand-in kamcmd printing what kamailio's dialog module answers to dlg.stats_active.
      writeFileSync(path.join(dir, 'kamcmd'), '#!/bin/sh\n[ "$1" = dlg.stats_active ] || exit 1\nprintf "{\\n\\tstarting: 0\\n\\tconnecting: 1\\n\\tanswering: 0\\n\\tongoing: 6\\n\\tall: 7\\n}\\n"\n');
      writeFileSync(path.join(dir, 'apt-get'), '#!/bin/sh\nprintf "Inst a [1] (2 Debian)\\nInst b [1] (2 Debian)\\nConf a\\n"\n');
      chmodSync(path.join(dir, 'kamcmd'), 0o755);
      chmodSync(path.join(dir, 'apt-get'), 0o755);
      const [program = 'sh', ...args] = renderCommand(book.probes.load.command, {}).argv;
      const stdout = execFileSync(program, args, { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } });
      expect(parseLoadReport(stdout)).toMatchObject({ ok: true, report: { channels: 7, pendingUpdates: 2 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a service name with shell syntax is passed to systemctl as one argument after --', async () => {
    const start = renderRecipe(findRecipe(book, 'start', 'switch'), { service: 'kamailio; touch pwned' }, book.defaults);
    expect(start.argv).toEqual(['systemctl', 'start', '--', 'kamailio; touch pwned']);
    // Run with printf standing in for systemctl (no systemd here): the arguments arrive intact.
    const result = await exec(conn, ['printf', '<%s>', ...start.argv.slice(1)]);
    expect(result.stdout).toBe('<start><--><kamailio; touch pwned>');
    expect(existsSync(path.join(sshd.workDir, 'pwned'))).toBe(false);
  });
});
