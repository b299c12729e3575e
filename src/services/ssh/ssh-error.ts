// Why an SSH connection or command could not go ahead, in words for the operator, with a code the
// actions service maps to a run state. Messages never carry a password or passphrase.

export type SshErrorCode =
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'host-key-refused'
  | 'auth-failed'
  | 'not-configured'
  | 'connect-timeout'
  | 'connect-failed'
  | 'connection-lost'
  | 'cancelled';

export class SshError extends Error {
  readonly code: SshErrorCode;

  constructor(code: SshErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SshError';
    this.code = code;
  }
}
