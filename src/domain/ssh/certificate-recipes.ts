import { z } from 'zod';
import { RemoteCommand } from './platform-recipes';

// Installing certificates on a SIP server, kept in the recipe book so an operator can point it at
// their own paths, a privilege-dropping Kamailio user or another control socket. The chain and
// key files are written one by one through stdin (`stage`), then `activate` swaps them all in,
// reloads the TLS configuration and puts the previous files back when the reload is refused.

const AbsolutePath = z
  .string()
  .regex(/^\/[A-Za-z0-9._/-]*$/, 'must be an absolute path of letters, digits, ".", "_", "-" and "/" (no spaces)');

export const CertificateRecipes = z.strictObject({
  label: z.string().trim().min(1).max(80),
  /** Paths and programs the commands use, and the generated tls.cfg reads. */
  defaults: z.strictObject({
    /** Where the chain and key files go (`<id>.pem`, `<id>.key`). */
    dir: AbsolutePath,
    /** The file Kamailio's tls module reads (`modparam("tls", "config", …)`). */
    tlsConfig: AbsolutePath,
    /** Kamailio's `method` for every profile (`TLSv1.2+`). */
    method: z.string().regex(/^[A-Za-z0-9.+]+$/, 'must be a Kamailio TLS method such as TLSv1.2+'),
    /** `user:group` the files are given to (the user Kamailio runs as); empty keeps the SSH user's. */
    owner: z.string().regex(/^([a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?)?$/, 'must be user or user:group, or empty'),
    kamcmd: z.string().min(1),
    /** Kamailio's control socket as kamcmd's `-s` takes it. */
    ctl: z.string().min(1),
    /** The folder an HTTP server on the server serves at `/` for ACME's HTTP-01 challenge. */
    webroot: AbsolutePath,
  }),
  /** Stdin to `<file>.switchyard-new` with `{mode}`; params `file`, `mode`. */
  stage: RemoteCommand,
  /** Staged files on stdin, one per line; swaps them in, reloads, restores on refusal. */
  activate: RemoteCommand,
  /** The key authorization on stdin to `<webroot>/.well-known/acme-challenge/<token>`; param `token`. */
  challenge: RemoteCommand,
  /** Removes that file again; param `token`. */
  challengeRemove: RemoteCommand,
});
export type CertificateRecipes = z.infer<typeof CertificateRecipes>;

/** What `activate` printed last: `installed`, `refused: <kamcmd's words>` or `failed: <why>`. */
export function activateOutcome(stdout: string): { outcome: 'installed' | 'refused' | 'failed'; detail: string } | null {
  const lines = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(installed|refused|failed)\b/.test(l));
  const last = lines[lines.length - 1];
  if (!last) return null;
  const match = /^(installed|refused|failed):?\s*(.*)$/.exec(last);
  if (!match) return null;
  return { outcome: match[1] as 'installed' | 'refused' | 'failed', detail: (match[2] ?? '').trim() };
}
