import { rpcErrorOf, RpcErrorAnswer, RpcTextError } from '../kamailio/rpc-tree';

// Kamailio's `kamcmd uac.reg_dump` (uac module, 5.6): one bare `{` … `}` block per registration
// with `key: value` lines. `flags` carries the state bits of uac_reg.c: DISABLED 1, ONGOING 2,
// ONLINE 4, AUTHSENT 8, INIT 16. kamcmd prints the auth_password and auth_ha1 of every record:
// those lines are dropped here and never kept. No registration loaded prints nothing at all.

export const UAC_FLAG = { disabled: 1, ongoing: 2, online: 4, authSent: 8, init: 16 } as const;

export interface UacDumpRecord {
  uuid: string;
  username: string | null;
  domain: string | null;
  authUsername: string | null;
  proxy: string | null;
  expires: number | null;
  flags: number;
  /** Seconds until the next REGISTER is due (negative: overdue, or given up). */
  diffExpires: number | null;
  timerExpires: number | null;
}

const SECRET_KEYS = new Set(['auth_password', 'auth_ha1']);
const MAX_TEXT = 4 * 1024 * 1024;
const MAX_RECORDS = 10_000;

const nullable = (v: string | undefined): string | null =>
  v === undefined || v === '' || v === '<null string>' || v === 'none' ? null : v;
const int = (v: string | undefined): number | null => (v !== undefined && /^-?\d{1,15}$/.test(v) ? Number(v) : null);

/** Parses the dump; throws RpcErrorAnswer when Kamailio answered an error, RpcTextError when it is not a dump. */
export function parseUacRegDump(text: string): UacDumpRecord[] {
  if (text.length > MAX_TEXT)
    throw new RpcTextError(`The answer is ${text.length} characters long, more than the ${MAX_TEXT} Switchyard reads.`);
  const error = rpcErrorOf(text);
  if (error) throw error;
  const records: UacDumpRecord[] = [];
  let open: Map<string, string> | null = null;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (line === '{') {
      if (open) throw new RpcTextError(`Line ${index + 1}: a record opens inside another.`);
      open = new Map();
      continue;
    }
    if (line === '}') {
      if (!open) throw new RpcTextError(`Line ${index + 1}: a "}" closes nothing.`);
      records.push(recordOf(open, records.length + 1));
      if (records.length > MAX_RECORDS) throw new RpcTextError(`More than ${MAX_RECORDS} registrations: not a dump Switchyard reads.`);
      open = null;
      continue;
    }
    const colon = line.indexOf(':');
    if (!open || colon <= 0) throw new RpcTextError(`Line ${index + 1} is not a "key: value" line of a record.`);
    const key = line.slice(0, colon).trim();
    if (SECRET_KEYS.has(key)) continue;
    open.set(key, line.slice(colon + 1).trim());
  }
  if (open) throw new RpcTextError('The answer ends in the middle of a record: it was cut short.');
  return records;
}

function recordOf(fields: Map<string, string>, n: number): UacDumpRecord {
  const uuid = nullable(fields.get('l_uuid'));
  const flags = int(fields.get('flags'));
  if (uuid === null || flags === null) throw new RpcTextError(`Record ${n} has no l_uuid or flags: not a uac.reg_dump.`);
  return {
    uuid,
    username: nullable(fields.get('r_username')),
    domain: nullable(fields.get('r_domain')),
    authUsername: nullable(fields.get('auth_username')),
    proxy: nullable(fields.get('auth_proxy')),
    expires: int(fields.get('expires')),
    flags,
    diffExpires: int(fields.get('diff_expires')),
    timerExpires: int(fields.get('timer_expires')),
  };
}

export { RpcErrorAnswer, RpcTextError };
