import type { CommandMethod, OutOfBandMethod } from '../../contract/power-methods';
import { invalid } from '../errors';
import { shellJoin } from '../ssh/shell-quote';

// Turning a server's out-of-band method into the argv this workstation runs for one power
// operation. Nothing here goes through a shell: the argv is spawned as is, so a placeholder's
// value is one literal argument whatever it holds. The IPMI password is never in the argv: ipmitool
// reads it from IPMI_PASSWORD (`-E`), which the runner sets from the secret store.

export type PowerOp = 'status' | 'on' | 'soft' | 'cycle';
export const POWER_OPS: readonly PowerOp[] = ['status', 'on', 'soft', 'cycle'];

/** The variable ipmitool's `-E` reads the password from. */
export const IPMI_PASSWORD_ENV = 'IPMI_PASSWORD';

export interface PowerCall {
  op: PowerOp;
  argv: string[];
  /** The argv as one readable line for the dialog and the audit log (never holds the password). */
  line: string;
  /** ipmitool needs the BMC password in IPMI_PASSWORD. */
  needsPassword: boolean;
}

export interface PowerServer {
  id: string;
  ip: string;
  alias: string;
}

/** Placeholders a command template may use, filled per server. */
export const TEMPLATE_PLACEHOLDERS = ['ip', 'alias', 'id'] as const;

/** Programs that would read a placeholder's value as shell text: refused as a template's program. */
const SHELLS = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'csh',
  'tcsh',
  'fish',
  'ash',
  'busybox',
  'env',
  'eval',
  'xargs',
  'su',
  'sudo',
  'doas',
  'ssh',
]);

const PLACEHOLDER = /\{\{|\}\}|\{([^{}]*)\}/g;

/** Refuses a method that cannot be run as given, naming the field (`method.soft.0`). */
export function checkPowerMethod(method: OutOfBandMethod): void {
  if (method.method === 'ipmi') return;
  for (const op of POWER_OPS) checkTemplate(method, op);
}

function checkTemplate(method: CommandMethod, op: PowerOp): void {
  const argv = method[op];
  const field = (i: number) => `method.${op}.${i}`;
  const program = argv[0] ?? '';
  const what = `The "${OP_NAMES[op]}" command`;
  if (program.trim() === '') throw invalid(field(0), `${what} needs a program first (for example /usr/local/bin/aws).`);
  if (program.includes('{')) throw invalid(field(0), `${what} must name its program directly, not through a placeholder.`);
  if (!/^(\/[A-Za-z0-9._+\-/@]+|[A-Za-z0-9._+-]+)$/.test(program) || program.startsWith('-')) {
    throw invalid(field(0), `${what}: "${program}" is not a program name or absolute path (letters, digits, ".", "_", "-", "/" only).`);
  }
  const base = program.split('/').pop() ?? program;
  if (SHELLS.has(base)) {
    throw invalid(
      field(0),
      `${what} runs "${base}", which would read the server's name or address as shell text. Name your provider's CLI directly; every argument is passed to it as is, with no shell.`,
    );
  }
  argv.forEach((part, i) => {
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[\u0000-\u001f\u007f]/.test(part))
      throw invalid(field(i), `${what}, argument ${i + 1}, contains a control character (a line break or tab?).`);
    for (const match of part.matchAll(PLACEHOLDER)) {
      const name = match[1];
      if (name === undefined) continue;
      if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)) {
        throw invalid(
          field(i),
          `${what}, argument ${i + 1}: "{${name}}" is not a placeholder Switchyard fills; use {ip}, {alias} or {id} (write {{ and }} for literal braces).`,
        );
      }
    }
  });
}

export const OP_NAMES: Readonly<Record<PowerOp, string>> = {
  status: 'power status',
  on: 'power on',
  soft: 'soft power off',
  cycle: 'power cycle',
};

/** The argv for one operation on one server. */
export function powerCall(method: OutOfBandMethod, op: PowerOp, server: PowerServer): PowerCall {
  if (method.method === 'ipmi') {
    // `-C` is explicit so ipmitool does not spend its retries asking the BMC which suites it has.
    const argv = [
      'ipmitool',
      '-I',
      'lanplus',
      '-H',
      method.host,
      '-p',
      String(method.port),
      '-U',
      method.user,
      '-E',
      '-C',
      String(method.cipherSuite),
      'chassis',
      'power',
      op,
    ];
    return { op, argv, line: shellJoin(argv), needsPassword: true };
  }
  const values: Record<(typeof TEMPLATE_PLACEHOLDERS)[number], string> = { ip: server.ip, alias: server.alias, id: server.id };
  const argv = method[op].map((part) =>
    part.replace(PLACEHOLDER, (token: string, name: string | undefined) => {
      if (token === '{{') return '{';
      if (token === '}}') return '}';
      return values[name as keyof typeof values] ?? token;
    }),
  );
  return { op, argv, line: shellJoin(argv), needsPassword: false };
}

/** Where the method sends its calls, for messages: "the BMC at 10.0.0.5:623" or "/usr/bin/aws". */
export function controllerName(method: OutOfBandMethod): string {
  return method.method === 'ipmi' ? `the BMC at ${method.host}:${method.port}` : `"${method.status[0] ?? 'the command'}"`;
}
