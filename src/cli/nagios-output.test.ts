import { describe, expect, it } from 'vitest';
import { NAGIOS_DEFAULTS, nagiosUnknown, nagiosVerdict, thresholdProblem, type NagiosMeasurement } from './nagios-output';

const answered = (avgMs: number, codes: number[] = [200, 200, 200, 200], received = codes.length, sent = 4): NagiosMeasurement => ({
  label: 'SIP',
  where: '127.0.0.1:5060',
  sent,
  received,
  lossPct: (100 * (sent - received)) / sent,
  avgMs,
  codes,
});

describe('nagiosVerdict', () => {
  it('prints OK with the perfdata Nagios graphs (rtt and loss, thresholds, min and max)', () => {
    expect(nagiosVerdict(answered(1.2), NAGIOS_DEFAULTS)).toEqual({
      status: 'OK',
      exitCode: 0,
      line: 'SIP OK - 127.0.0.1:5060 answered 200 in 1.2 ms | rtt=1.2ms;100;500;0 loss=0%;20;60;0;100\n',
    });
  });

  it('raises WARNING and CRITICAL when the average round trip is beyond the threshold, not at it', () => {
    const t = { ...NAGIOS_DEFAULTS, warningMs: 10, criticalMs: 50 };
    expect(nagiosVerdict(answered(10), t).status).toBe('OK');
    const warning = nagiosVerdict(answered(10.5), t);
    expect(warning).toMatchObject({ status: 'WARNING', exitCode: 1 });
    expect(warning.line).toBe(
      'SIP WARNING - 127.0.0.1:5060 answered 200 in 10.5 ms (rtt > 10 ms) | rtt=10.5ms;10;50;0 loss=0%;20;60;0;100\n',
    );
    expect(nagiosVerdict(answered(50.001), t)).toMatchObject({ status: 'CRITICAL', exitCode: 2 });
  });

  it('calls a 5xx answer WARNING: alive, not well', () => {
    const v = nagiosVerdict(answered(0.4, [503, 503], 2, 2), NAGIOS_DEFAULTS);
    expect(v.status).toBe('WARNING');
    expect(v.line).toMatch(/^SIP WARNING - 127\.0\.0\.1:5060 answered 503 in 0\.4 ms \| /);
  });

  it('judges loss by its own thresholds', () => {
    expect(nagiosVerdict(answered(1, [200, 200, 200], 3), NAGIOS_DEFAULTS)).toMatchObject({ status: 'WARNING' });
    const critical = nagiosVerdict(answered(1, [200], 1), NAGIOS_DEFAULTS);
    expect(critical.status).toBe('CRITICAL');
    expect(critical.line).toContain('answered 200 in 1 ms, 75% loss (loss > 60%)');
    expect(critical.line).toContain('loss=75%;20;60;0;100');
  });

  it('calls silence CRITICAL with an unknown rtt in the perfdata', () => {
    const v = nagiosVerdict(
      { label: 'TCP', where: '[::1]:5060', sent: 2, received: 0, lossPct: 100, avgMs: null, codes: [] },
      NAGIOS_DEFAULTS,
    );
    expect(v).toEqual({
      status: 'CRITICAL',
      exitCode: 2,
      line: 'TCP CRITICAL - [::1]:5060 did not answer 2 probes (100% loss) | rtt=U;100;500;0 loss=100%;20;60;0;100\n',
    });
  });

  it('keeps the worse state when both round trip and loss cross a line', () => {
    const t = { ...NAGIOS_DEFAULTS, warningMs: 1, criticalMs: 2 };
    const v = nagiosVerdict(answered(3, [200, 200, 200], 3), t);
    expect(v.status).toBe('CRITICAL');
    expect(v.line).toContain('(rtt > 2 ms, loss > 20%)');
  });
});

describe('nagiosUnknown and thresholdProblem', () => {
  it('makes a one-line UNKNOWN with exit 3', () => {
    expect(nagiosUnknown('SIP', 'TARGET: not an address.\n\nUsage: …')).toEqual({
      status: 'UNKNOWN',
      exitCode: 3,
      line: 'SIP UNKNOWN - TARGET: not an address. Usage: …\n',
    });
  });

  it('refuses a warning beyond the critical line, naming both flags', () => {
    expect(thresholdProblem(NAGIOS_DEFAULTS)).toBeNull();
    expect(thresholdProblem({ ...NAGIOS_DEFAULTS, warningMs: 600 })).toMatch(/--warning \(600 ms\) must not exceed --critical \(500 ms\)/);
    expect(thresholdProblem({ ...NAGIOS_DEFAULTS, warningLossPct: 70 })).toMatch(
      /--warning-loss \(70%\) must not exceed --critical-loss \(60%\)/,
    );
  });
});
