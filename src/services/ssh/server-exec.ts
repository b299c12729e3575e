// Running one command on a fleet server: the one signature every service that touches servers over
// SSH takes, so actions, APIBAN, certificates, registrations and the rest share one way in.
import type { StoredServer } from '../store/servers-repo';
import type { ExecOptions, ExecResult } from './exec';

/** Runs one argv on a fleet server over the host's verified SSH connections. */
export type ServerExec = (server: StoredServer, argv: readonly string[], options: ExecOptions) => Promise<ExecResult>;
