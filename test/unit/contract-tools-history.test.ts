import { describe, expect, it } from 'vitest';
import { methods } from '../../src/contract/methods';
import { HistoryKind, ToolName, ToolRun, ToolRunUpdate } from '../../src/contract/tools-methods';
import { inspectSip } from '../../src/domain/sip';

// The history holds pasted SIP messages beside ping and mtr runs; the live tools stay ping and mtr.

const message =
  'OPTIONS sip:127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\nMax-Forwards: 70\r\nFrom: <sip:switchyard@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1:5060>\r\nCall-ID: a@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
const brief = {
  id: 'r1',
  tool: 'sip',
  source: 'pasted',
  sourceLabel: 'pasted',
  target: 'sip:127.0.0.1:5060',
  params: { flavor: 'request', message: 'OPTIONS', encoding: 'utf-8', errors: 0, warnings: 0 },
  startedAt: 1,
  endedAt: 1,
  status: 'done',
  error: null,
  headline: { sent: null, received: null, lossPct: null, avgMs: null, hops: null },
};

describe('tool history kinds in the contract', () => {
  it('lists and returns a kept SIP message with its inspection', () => {
    const run = ToolRun.parse({ ...brief, rawOutput: message, ping: null, mtr: null, sip: inspectSip(message) });
    expect(run.sip).toMatchObject({ kind: 'request', method: 'OPTIONS', valid: true });
    expect(methods['tools:list-runs'].output.parse([brief])).toHaveLength(1);
    expect(HistoryKind.options).toEqual(['ping', 'mtr', 'sip']);
  });

  it('refuses a run without its sip field, and a sip inspection of the wrong shape', () => {
    expect(ToolRun.safeParse({ ...brief, rawOutput: message, ping: null, mtr: null }).success).toBe(false);
    expect(ToolRun.safeParse({ ...brief, rawOutput: message, ping: null, mtr: null, sip: { kind: 'request' } }).success).toBe(false);
  });

  it('keeps live runs and their updates to ping and mtr', () => {
    expect(ToolName.options).toEqual(['ping', 'mtr']);
    expect(ToolRunUpdate.safeParse({ runId: 'r1', tool: 'sip', status: 'done' }).success).toBe(false);
    expect(methods['tools:list-runs'].output.safeParse([{ ...brief, tool: 'dns' }]).success).toBe(false);
  });
});
