import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

// Issue 16 item 3: a pasted SIP message whose User-Agent was `=HYPERLINK(...)` came out of the
// tool-run CSV raw, ready to run in a spreadsheet (ping and MTR CSVs were written the same way).
// Every export now goes through the one CSV writer; here each tool-run export and the fleet
// export are driven through the contract with hostile text in the cells they carry.

const tempDir = useTempDirs();
const hosts: HostApp[] = [];
afterEach(() => {
  for (const app of hosts.splice(0)) app.close();
});

const HYPERLINK = '=HYPERLINK("http://evil.example","click")';

/** Every cell of a CSV text, as a spreadsheet would read it. */
function cells(text: string): string[] {
  const parsed = Papa.parse<string[]>(text.trim(), { delimiter: ',' });
  return parsed.data.flat();
}

/** No cell a spreadsheet would run; the hostile text is still there, shown as text. */
function expectDefused(text: string, hostile: string): void {
  const all = cells(text);
  expect(all.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  expect(all).toContain(`'${hostile}`);
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('CSV exports neutralise formulas', () => {
  it('tool runs: a pasted SIP message with a =HYPERLINK User-Agent', async () => {
    const app = openTestHost(tempDir());
    hosts.push(app);
    const message = [
      'OPTIONS sip:probe@192.0.2.10 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds',
      'From: <sip:noc@192.0.2.1>;tag=1928301774',
      'To: <sip:probe@192.0.2.10>',
      'Call-ID: a84b4c76e66710',
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      `User-Agent: ${HYPERLINK}`,
      'Subject: +1 555 0100',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const brief = await call(app, 'tools:save-pasted', { base64: b64(message) });
    expect(brief.tool).toBe('sip');
    const { text } = await call(app, 'tools:export-run', { id: brief.id, format: 'csv' });
    expectDefused(text, HYPERLINK);
    expect(cells(text)).toContain("'+1 555 0100");
  });

  it('tool runs: a pasted MTR report whose hop names are formulas', async () => {
    const app = openTestHost(tempDir());
    hosts.push(app);
    const report = [
      'Start: 2026-11-25T12:36:09+0000',
      'HOST: vm                          Loss%   Snt   Last   Avg  Best  Wrst StDev',
      '  1.|-- @SUM(1+1)*cmd             0.0%     3    0.1   0.1   0.1   0.1   0.0',
      '  2.|-- 127.0.0.1                  0.0%     3    0.1   0.1   0.1   0.1   0.0',
      '',
    ].join('\n');
    const brief = await call(app, 'tools:save-pasted', { base64: b64(report) });
    expect(brief.tool).toBe('mtr');
    const { text } = await call(app, 'tools:export-run', { id: brief.id, format: 'csv' });
    expectDefused(text, '@SUM(1+1)*cmd');
  });

  it('tool runs: a pasted ping whose reply address is a formula', async () => {
    const app = openTestHost(tempDir());
    hosts.push(app);
    const ping = [
      'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.',
      '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.023 ms',
      'From @SUM(1+1) icmp_seq=2 Destination Host Unreachable',
      '',
      '--- 127.0.0.1 ping statistics ---',
      '2 packets transmitted, 1 received, 50% packet loss, time 1001ms',
      '',
    ].join('\n');
    const brief = await call(app, 'tools:save-pasted', { base64: b64(ping) });
    expect(brief.tool).toBe('ping');
    const { text } = await call(app, 'tools:export-run', { id: brief.id, format: 'csv' });
    expectDefused(text, '@SUM(1+1)');
    // Figures stay figures: an RTT is written as a number, never quoted or prefixed.
    expect(text).toContain('\n1,127.0.0.1,64,0.023,,\n');
  });

  it('fleet: an alias and a zone name that are formulas are exported as text', async () => {
    const app = openTestHost(tempDir());
    hosts.push(app);
    const zone = await call(app, 'fleet:create-zone', { name: '@zone', description: '' });
    await call(app, 'fleet:create-server', draft(zone.id, { ip: '192.0.2.20', alias: HYPERLINK }));
    const { text } = await call(app, 'fleet:export', { format: 'csv' });
    expectDefused(text, HYPERLINK);
    expect(cells(text)).toContain("'@zone");
  });
});
