/**
 * What the inspector can say about a message. Codes are stable (tests, the CLI's JSON and the UI
 * key on them); messages are plain words for a person reading a trace.
 */
export type SipProblemCode =
  | 'empty-message'
  | 'too-large'
  | 'bad-start-line'
  | 'start-line-whitespace'
  | 'bad-version'
  | 'bad-method'
  | 'bad-request-uri'
  | 'request-uri-headers'
  | 'bad-status-code'
  | 'bad-header-line'
  | 'unterminated-headers'
  | 'bare-lf'
  | 'invalid-character'
  | 'invalid-utf8'
  | 'oversized-value'
  | 'missing-header'
  | 'duplicate-header'
  | 'missing-content-length'
  | 'bad-content-length'
  | 'content-length-mismatch'
  | 'trailing-bytes'
  | 'bad-via'
  | 'via-missing-branch'
  | 'via-weak-branch'
  | 'bad-cseq'
  | 'cseq-method-mismatch'
  | 'bad-max-forwards'
  | 'bad-call-id'
  | 'bad-expires'
  | 'bad-retry-after'
  | 'bad-warning'
  | 'bad-date'
  | 'unterminated-quote'
  | 'bad-address'
  | 'bad-display-name'
  | 'unenclosed-uri'
  | 'empty-parameter';

export type SipProblemSeverity = 'error' | 'warning';

export interface SipProblem {
  code: SipProblemCode;
  severity: SipProblemSeverity;
  message: string;
}

export function error(code: SipProblemCode, message: string): SipProblem {
  return { code, severity: 'error', message };
}

export function warning(code: SipProblemCode, message: string): SipProblem {
  return { code, severity: 'warning', message };
}

/** Values quoted back to the user are cut short so one huge header cannot flood the report. */
export function quote(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}
