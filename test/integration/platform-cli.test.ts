import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { call, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

// `switchyard advise` and `switchyard limits` as a pipeline runs them: real CLI, real database.

const tempDir = useTempDirs();

const server = (ip: string, alias: string, extra: Record<string, unknown> = {}) => ({
  ip,
  alias,
  type: 'dispatcher',
  zone: 'EU',
  channels: 100,
  cps: 50,
  ...extra,
});

/** Seeds the database in-process (one CLI start fewer per test); the commands under test run for real. */
async function seed(servers: object[]): Promise<string> {
  const data = path.join(tempDir(), 'data');
  const app = openTestHost(data);
  try {
    const text = JSON.stringify({
      switchyard: 'fleet',
      version: 1,
      zones: [{ name: 'EU', description: '' }],
      clusters: [{ name: 'core', description: '' }],
      servers,
      rtpServers: [],
    });
    await call(app, 'fleet:import', { format: 'json', text });
  } finally {
    await app.close();
  }
  return data;
}

describe('switchyard limits', () => {
  it('prints 20 CPS through two unclustered servers for a 10 CPS customer, and 10 through a cluster', async () => {
    const data = await seed([
      server('127.0.20.1', 'a'),
      server('127.0.20.2', 'b'),
      server('127.0.20.3', 'c', { cluster: 'core' }),
      server('127.0.20.4', 'd', { cluster: 'core' }),
    ]);
    const result = await runCli(['limits', '--data', data, '--cps', '10', '--channels', '30', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { groups: { kind: string; name: string; effectiveCps: number }[]; totalCps: number };
    expect(report.groups.map((g) => [g.kind, g.name, g.effectiveCps])).toEqual([
      ['cluster', 'core', 10],
      ['server', 'a', 10],
      ['server', 'b', 10],
    ]);
    expect(report.totalCps).toBe(30);

    const text = await runCli(['limits', '--data', data]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/cluster core\s+127\.0\.20\.3 127\.0\.20\.4\s+10\s+100/);
    expect(text.stdout).toContain('3× the allowed CPS');
  });

  it('exits 2 naming the option for a bad allowance', async () => {
    const data = await seed([server('127.0.20.1', 'a')]);
    const result = await runCli(['limits', '--data', data, '--cps', 'ten']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--cps must be a whole number');
  });
});

describe('switchyard advise', () => {
  it('exits 0 with warnings only, and prints each finding with rule, severity, servers by IP, message and fix', async () => {
    const data = await seed([server('127.0.20.1', 'a'), server('127.0.20.2', 'b')]);
    const result = await runCli(['advise', '--data', data, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const findings = JSON.parse(result.stdout) as { rule: string; severity: string; servers: string[]; message: string; fix: string }[];
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'unclustered-load-balancing',
        severity: 'warning',
        servers: ['127.0.20.1', '127.0.20.2'],
        fix: expect.stringContaining('cluster'),
      }),
    ]);
  });

  it('exits 1 when any finding is an error', async () => {
    const data = await seed([server('127.0.20.1', 'a', { expires: '2020-01-01T00:00:00.000Z' })]);
    const result = await runCli(['advise', '--data', data]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ERROR\s+server-expiry\s+\[127\.0\.20\.1\]/m);
    expect(result.stdout).toContain('1 error(s)');
  });

  it('a clean fleet says so and exits 0', async () => {
    const data = await seed([server('127.0.20.1', 'a')]);
    const result = await runCli(['advise', '--data', data]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No findings');
  });
});
