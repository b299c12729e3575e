import { z } from 'zod';
import { RemoteCommand } from '../ssh/platform-recipes';

// How Install Server pushes the upstream registrations and how their state is read, kept in the
// recipe book so an operator can point them at their own paths, control socket or Kamailio user.
// The server's kamailio.cfg loads them with the uac module from a db_text folder:
//   loadmodule "db_text.so"  modparam("db_text", "db_mode", 1)   (re-read a changed file)
//   modparam("uac", "reg_db_url", "text:///etc/kamailio/switchyard-uac")
//   modparam("uac", "reg_contact_addr", "<this server's address>:5060")
// `push` reads the new uacreg file on stdin, swaps it in (keeping the old one), writes the
// `version` table uac checks, asks Kamailio to reload (`kamcmd uac.reg_reload`), and puts the old
// file back when the reload is refused. Kamailio accepts one reload per 150 s: `push` retries for
// up to `reloadWaitSec` seconds before it gives up. It prints `loaded`, `refused: …` or `failed: …`.

const AbsolutePath = z
  .string()
  .regex(/^\/[A-Za-z0-9._/-]*$/, 'must be an absolute path of letters, digits, ".", "_", "-" and "/" (no spaces)');

export const UacRecipes = z.strictObject({
  label: z.string().trim().min(1).max(80),
  defaults: z.strictObject({
    /** The db_text folder named by the server's reg_db_url. */
    dir: AbsolutePath,
    kamcmd: z.string().min(1),
    /** Kamailio's control socket as kamcmd's `-s` takes it; empty: kamcmd's own default. */
    ctl: z.string(),
    /** `user:group` the files are given to (the user Kamailio runs as); empty keeps the SSH user's. */
    owner: z.string().regex(/^([a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?)?$/, 'must be user or user:group, or empty'),
    /** How long `push` keeps asking for a reload Kamailio refused as too soon after the last. */
    reloadWaitSec: z.string().regex(/^\d{1,4}$/, 'must be a number of seconds'),
  }),
  push: RemoteCommand,
  /** Prints `kamcmd uac.reg_dump` without its auth_password and auth_ha1 lines. */
  dump: RemoteCommand,
});
export type UacRecipes = z.infer<typeof UacRecipes>;

/** What `push` printed last: `loaded`, `refused: <kamcmd's words>` or `failed: <why>`. */
export function pushOutcome(stdout: string): { outcome: 'loaded' | 'refused' | 'failed'; detail: string } | null {
  const lines = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(loaded|refused|failed)\b/.test(l));
  const last = lines[lines.length - 1];
  const match = last === undefined ? null : /^(loaded|refused|failed):?\s*(.*)$/.exec(last);
  if (!match) return null;
  return { outcome: match[1] as 'loaded' | 'refused' | 'failed', detail: (match[2] ?? '').trim() };
}
