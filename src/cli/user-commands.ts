// `switchyard user add|list|disable|enable|reset|role`: the accounts of a team host, managed on the
// host itself (the first admin is made here, before anyone can sign in). Every change goes through
// the host's `accounts:*` methods as the local user, so the rules and the audit log are the ones
// the Accounts screen has. A password is never an argument (it would sit in the shell's history
// and in `ps`): it is asked for without echo at a terminal, or read from standard input with
// --password-stdin, for scripts.
import { parseArgs } from 'node:util';
import type { Account } from '../contract/accounts-methods';
import { ROLES } from '../contract/roles';
import type { HostApp } from '../host/app';
import { checkPassword } from '../services/accounts/account-rules';
import { call } from './alert-commands';
import { EXIT_OK, UsageError, type Io } from './io';
import { readHiddenLine, readStdinPassword } from './password-input';
import { localTime, zoneName } from './time-args';

/** Where a new password comes from; tests in process give their own. */
export interface PasswordSource {
  /** Standard input, whole, with --password-stdin. */
  stdin(): Promise<string>;
  /** Whether standard input is a terminal a person types at. */
  isTerminal(): boolean;
  /** One line typed at the terminal without echo, after the prompt. */
  hidden(prompt: string): Promise<string>;
}

const processPasswords: PasswordSource = {
  stdin: readStdinPassword,
  isTerminal: () => process.stdin.isTTY === true,
  hidden: (prompt) => readHiddenLine(prompt),
};

function roleOf(text: string | undefined, flag: string): (typeof ROLES)[number] {
  if (text === undefined) throw new UsageError(`${flag} is needed: one of ${ROLES.join(', ')}.`);
  const role = ROLES.find((r) => r === text.toLowerCase());
  if (role === undefined) throw new UsageError(`${flag} "${text}" is not one of ${ROLES.join(', ')}.`);
  return role;
}

/** The new password, checked before the host opens: too short is refused with nothing changed. */
async function newPassword(name: string, fromStdin: boolean, source: PasswordSource): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = await source.stdin();
  } else if (source.isTerminal()) {
    password = await source.hidden(`New password for ${name}: `);
    const again = await source.hidden('Type it again: ');
    if (again !== password) throw new UsageError('The two passwords differ; nothing was changed.');
  } else {
    throw new UsageError('a password is needed: run this at a terminal to type it, or pipe it in with --password-stdin.');
  }
  checkPassword(password, name);
  return password;
}

function table(accounts: Account[]): string {
  const head = ['NAME', 'ROLE', 'STATE', 'CREATED', 'CHANGED'];
  const rows = accounts.map((a) => [a.name, a.role, a.disabled ? 'disabled' : 'active', localTime(a.createdAt), localTime(a.changedAt)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map(
      (r) =>
        `${r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

function oneName(positionals: string[], what: string): string {
  const name = positionals[0];
  if (name === undefined || positionals.length > 1) throw new UsageError(`${what} needs one account NAME.`);
  return name;
}

export async function userCommand(
  args: string[],
  openApp: () => HostApp,
  io: Io,
  passwords: PasswordSource = processPasswords,
): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' }, data: { type: 'string' } },
  });
  const fromStdin = values['password-stdin'] === true;
  if (sub === 'list') {
    if (positionals.length > 0) throw new UsageError('user list takes no NAME.');
    return withApp(openApp, async (app) => {
      const accounts = await call<Account[]>(app, 'accounts:list', {});
      if (values.json) io.out(`${JSON.stringify(accounts, null, 2)}\n`);
      else if (accounts.length === 0) io.out('No accounts yet: add the first admin with `switchyard user add NAME --role admin`.\n');
      else io.out(`${table(accounts)}${accounts.length} account${accounts.length === 1 ? '' : 's'}; times in ${zoneName()}.\n`);
      return EXIT_OK;
    });
  }
  if (sub === 'add') {
    const name = oneName(positionals, 'user add');
    const role = roleOf(values.role, '--role');
    const password = await newPassword(name, fromStdin, passwords);
    return withApp(openApp, async (app) => {
      const account = await call<Account>(app, 'accounts:add', { name, role, password });
      io.out(`Added ${account.name} (${account.role}).\n`);
      return EXIT_OK;
    });
  }
  if (sub === 'reset') {
    const name = oneName(positionals, 'user reset');
    const password = await newPassword(name, fromStdin, passwords);
    return withApp(openApp, async (app) => {
      const account = await call<Account>(app, 'accounts:reset-password', { name, password });
      io.out(`Password of ${account.name} reset; its sessions have ended.\n`);
      return EXIT_OK;
    });
  }
  if (sub === 'disable' || sub === 'enable') {
    const name = oneName(positionals, `user ${sub}`);
    return withApp(openApp, async (app) => {
      const account = await call<Account>(app, `accounts:${sub}`, { name });
      io.out(sub === 'disable' ? `Disabled ${account.name}; its sessions have ended.\n` : `Enabled ${account.name} (${account.role}).\n`);
      return EXIT_OK;
    });
  }
  if (sub === 'role') {
    const [name, roleText] = positionals;
    if (name === undefined || positionals.length !== 2) throw new UsageError('user role needs NAME and a ROLE.');
    const role = roleOf(roleText, 'ROLE');
    return withApp(openApp, async (app) => {
      const account = await call<Account>(app, 'accounts:set-role', { name, role });
      io.out(`${account.name} is now ${account.role}.\n`);
      return EXIT_OK;
    });
  }
  throw new UsageError(
    sub === undefined ? 'user needs a subcommand: add, list, disable, enable, reset or role.' : `unknown user subcommand "${sub}".`,
  );
}

async function withApp(openApp: () => HostApp, work: (app: HostApp) => Promise<number>): Promise<number> {
  const app = openApp();
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
