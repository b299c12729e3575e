// A stand-in because these tests exercise the transports and the contract (validation,
// envelopes), which need every method answered but no database; the real audit log is tested
// against a real store in test/integration/audit-log.test.ts.
// The audit area of the fake host: a valid input for every audit method, and handlers that answer
// with fixed, schema-valid values.
import type { AuditEntry, auditMethods } from '../../src/contract/audit-methods';
import type { InputOf, MethodName } from '../../src/contract/methods';
import type { Handlers } from '../../src/host/dispatch';

type Area = keyof typeof auditMethods;
const NOW = 1_767_225_600_000;

export const sampleAuditEntry: AuditEntry = {
  id: 1,
  at: NOW,
  kind: 'action-run',
  account: 'ana',
  address: '192.0.2.50',
  detail: 'Restart Server on sbc-fra-1',
};

export const auditSampleInputs: { [M in Area & MethodName]: InputOf<M> } = {
  'audit:list': { since: NOW - 3_600_000, account: 'ana' },
  'audit:export': { format: 'csv' },
};

export function auditFakeHandlers(seen: <T>(method: MethodName, value: T) => T): Pick<Handlers, Area> {
  return {
    'audit:list': () =>
      seen('audit:list', { entries: [sampleAuditEntry], total: 1, kinds: ['action-run'], retention: { days: 400, maxEntries: 200_000 } }),
    'audit:export': () => seen('audit:export', { text: 'id,at,kind,account,address,detail\n', fileName: 'switchyard-audit.csv' }),
  };
}
