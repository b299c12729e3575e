// The audit log: who did what, when and from where. One line per sign-in, failed sign-in, sign-out,
// account change, action run, silence, acknowledgement, setting change and import.
// The store-backed writer is audit-log.ts; anything that records depends only on this shape.

export interface AuditEntryInput {
  /** What happened, a short stable word: 'sign-in', 'sign-in-failed', 'role-change', 'action-run', … */
  kind: string;
  /** The account (or 'local user'); for a failed sign-in, the name that was tried. */
  account: string;
  /** The client's address, when the call came over the network. */
  address?: string;
  /** One line a person reads: "Restart on sw-1, sw-2", "Role of ana: viewer → operator". */
  detail: string;
  /** Milliseconds since the epoch; now when omitted. */
  at?: number;
}

export interface AuditLog {
  record(entry: AuditEntryInput): void;
}
