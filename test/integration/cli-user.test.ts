// `switchyard user …` run as a user would: the bundled CLI in a process of its own over a data
// folder of its own, passwords piped with --password-stdin or typed at a real pseudo-terminal
// (python3's pty module), every refusal leaving the accounts as they were. Refusals that need no
// terminal run the CLI's entry in process, which is the same code without a process start each.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { userCommand } from '../../src/cli/user-commands';
import { openHost } from '../../src/host/app';
import { AccountsService } from '../../src/services/accounts/accounts-service';
import { openStore } from '../../src/services/store/store';
import { BIN, runCli, type CliResult } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

async function inProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** `user …` with --password-stdin in process: the command's own code, standard input given as `input`. */
async function userWithStdin(data: string, args: string[], input: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io = { out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t) };
  const passwords = {
    stdin: () => Promise.resolve(input.replace(/\r?\n$/, '')),
    isTerminal: () => false,
    hidden: () => Promise.reject(new Error('no terminal')),
  };
  let code: number;
  try {
    code = await userCommand([...args, '--password-stdin'], () => openHost({ dataDir: data }), io, passwords);
  } catch (error) {
    // As main() reports them: a usage or domain refusal is exit 2 with its message.
    stderr += `switchyard: ${(error as Error).message}\n`;
    code = 2;
  }
  return { code, stdout, stderr };
}

/** What the data folder's accounts and audit lines say, read straight from the store. */
async function stateOf(data: string, password?: { name: string; password: string }) {
  const store = openStore({ file: path.join(data, 'switchyard.db') });
  try {
    const accounts = store.accounts.list().map((a) => `${a.name}:${a.role}:${a.disabled ? 'disabled' : 'active'}`);
    const audit = (
      store.db.prepare('SELECT kind, account, detail FROM audit_log ORDER BY id').all() as { kind: string; detail: string }[]
    ).map((r) => `${r.kind}: ${r.detail}`);
    const service = new AccountsService({
      repo: store.accounts,
      transaction: (work) => store.transaction(work),
      audit: { record: () => undefined },
      who: () => ({ account: 'test' }),
    });
    const verdict = password ? await service.verify(password.name, password.password) : null;
    return { accounts, audit, verdict };
  } finally {
    store.close();
  }
}

/**
 * Runs the CLI in a pseudo-terminal (stdin is a TTY, as for a person), answering each prompt once
 * it is shown; returns everything the terminal displayed and the exit code.
 */
function runInTerminal(args: string[], answers: string[]): Promise<{ code: number | null; screen: string }> {
  const script = `
import os, pty, sys, select
answers = sys.argv[1].split('\\x1f')
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
screen = b''
answered = 0
while True:
    try:
        r, _, _ = select.select([fd], [], [], 60)
        if not r: break
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data: break
    screen += data
    # Answer a prompt once, when it is the last thing on screen: the line break written after an
    # answer must not count as a new prompt (echo is back on between the two prompts).
    if answers and screen.endswith(b': ') and len(screen) > answered:
        answered = len(screen)
        os.write(fd, answers.pop(0).encode() + b'\\r')
_, status = os.waitpid(pid, 0)
sys.stdout.write(screen.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, answers.join('\x1f'), process.execPath, BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    child.stderr.on('data', (d: Buffer) => (screen += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

// Each test opens the host several times and hashes several passwords (scrypt, 128 MiB each): on a
// loaded two-core machine that is well over the default minute, hence the longer timeouts.
describe('switchyard user', () => {
  it('adds, lists, disables, enables and resets accounts; refuses bad input with nothing changed', async () => {
    const data = tempDir();
    const run = (...args: string[]) => inProcess([...args, '--data', data]);

    expect((await run('user', 'list')).stdout).toContain(
      'No accounts yet: add the first admin with `switchyard user add NAME --role admin`.',
    );
    const first = await runCli(['user', 'add', 'ana', '--role', 'admin', '--password-stdin', '--data', data], {
      input: 'correct horse battery\n',
    });
    expect(first).toMatchObject({ code: 0, stdout: 'Added ana (admin).\n' });

    // Refusals, each with the reason, each leaving ana alone.
    const short = await userWithStdin(data, ['add', 'bob', '--role', 'viewer'], 'short pass\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('Password is too short (10 characters): use at least 12.');
    // The test runner's standard input is no terminal, as in a script without --password-stdin.
    const noTerminal = await run('user', 'add', 'bob', '--role', 'viewer');
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain('a password is needed: run this at a terminal to type it, or pipe it in with --password-stdin.');
    const badRole = await run('user', 'add', 'bob', '--role', 'root');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role "root" is not one of viewer, operator, admin.');
    const taken = await userWithStdin(data, ['add', 'ANA', '--role', 'viewer'], 'another long password');
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('An account named ana already exists.');
    const badName = await userWithStdin(data, ['add', 'two words', '--role', 'viewer'], 'another long password');
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('Account name "two words" may hold only letters, digits');
    const lastAdmin = await run('user', 'disable', 'ana');
    expect(lastAdmin.code).toBe(2);
    expect(lastAdmin.stderr).toBe('switchyard: ana is the last active admin: it cannot be disabled.\n');
    expect((await run('user', 'role', 'ana', 'viewer')).stderr).toContain(
      'ana is the last active admin: make another account admin first.',
    );
    expect((await run('user', 'disable', 'ghost')).stderr).toContain('There is no account named ghost.');
    expect((await stateOf(data)).accounts).toEqual(['ana:admin:active']);

    const bob = await userWithStdin(data, ['add', 'bob', '--role', 'operator'], 'operator password 1');
    expect(bob.code).toBe(0);
    expect((await run('user', 'disable', 'bob')).stdout).toBe('Disabled bob; its sessions have ended.\n');
    const reset = await userWithStdin(data, ['reset', 'bob'], 'a new operator password\n');
    expect(reset).toMatchObject({ code: 0, stdout: 'Password of bob reset; its sessions have ended.\n' });

    const table = await runCli(['user', 'list', '--data', data], { env: { TZ: 'UTC' } });
    expect(table.stdout).toMatch(/^NAME +ROLE +STATE +CREATED +CHANGED\nana +admin +active +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(table.stdout).toMatch(/\nbob +operator +disabled /);
    expect(table.stdout).toContain('2 accounts; times in UTC.');
    const json = JSON.parse((await run('user', 'list', '--json')).stdout) as { name: string; role: string; disabled: boolean }[];
    expect(json.map((a) => [a.name, a.role, a.disabled])).toEqual([
      ['ana', 'admin', false],
      ['bob', 'operator', true],
    ]);
    expect(JSON.stringify(json)).not.toMatch(/hash|salt|password/i);

    const state = await stateOf(data, { name: 'bob', password: 'a new operator password' });
    // Disabled is only said to whoever knows the password: the reset one is the one that works.
    expect(state.verdict).toEqual({ ok: false, reason: 'disabled' });
    expect(state.audit).toEqual([
      'account-add: Account ana added as admin',
      'account-add: Account bob added as operator',
      'account-disable: Account bob (operator) disabled',
      'password-reset: Password of bob reset',
    ]);
    expect((await run('user', 'enable', 'bob')).stdout).toBe('Enabled bob (operator).\n');
    expect((await run('user', 'role', 'bob', 'viewer')).stdout).toBe('bob is now viewer.\n');
  }, 120_000);

  it('asks for the password at a terminal without echoing it, twice, and refuses two that differ', async () => {
    const data = tempDir();
    const typed = await runInTerminal(
      ['user', 'add', 'ana', '--role', 'admin', '--data', data],
      ['typed at the terminal', 'typed at the terminal'],
    );
    expect(typed.screen).toContain('New password for ana:');
    expect(typed.screen).toContain('Type it again:');
    expect(typed.screen).toContain('Added ana (admin).');
    expect(typed.screen).not.toContain('typed at the terminal');
    expect(typed.code).toBe(0);
    expect((await stateOf(data, { name: 'ana', password: 'typed at the terminal' })).verdict?.ok).toBe(true);

    const differ = await runInTerminal(['user', 'reset', 'ana', '--data', data], ['first new password', 'second new password']);
    expect(differ.code).toBe(2);
    expect(differ.screen).toContain('The two passwords differ; nothing was changed.');
    expect((await stateOf(data, { name: 'ana', password: 'typed at the terminal' })).verdict?.ok).toBe(true);
  }, 120_000);
});
