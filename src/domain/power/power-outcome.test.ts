import { describe, expect, it } from 'vitest';
import { parsePowerState, powerProblem } from './power-outcome';

const ipmi = { method: 'ipmi' as const, host: '127.0.0.1', port: 9623, user: 'admin', cipherSuite: 3 as const };
const who = 'sw-1 (127.0.0.2)';

describe('power state', () => {
  it.each([
    ['Chassis Power is on\n', 'on'],
    ['Chassis Power is off\n', 'off'],
    ['RUNNING', 'on'],
    ['status: stopped', 'off'],
    ['powered off', 'off'],
    ['{"state":"shutoff"}', 'off'],
    ['Chassis Power Control: Cycle', 'unknown'],
    ['', 'unknown'],
  ])('%j reads as %s', (text, state) => expect(parsePowerState(text)).toBe(state));
});

describe('why a power call failed', () => {
  it('is nothing when it succeeded', () =>
    expect(
      powerProblem(ipmi, 'cycle', { failure: null, code: 0, signal: null, output: 'Chassis Power Control: Cycle' }, 20, who),
    ).toBeNull());

  it('a refused session names the user, the password field and quotes ipmitool', () => {
    const problem = powerProblem(
      ipmi,
      'cycle',
      { failure: null, code: 1, signal: null, output: 'Error: Unable to establish IPMI v2 / RMCP+ session\n' },
      20,
      who,
    );
    expect(problem?.field).toBe('outOfBand.password');
    expect(problem?.message).toMatch(
      /^sw-1 \(127\.0\.0\.2\): the BMC at 127\.0\.0\.1:9623 refused the session: the IPMI user "admin" or its password is wrong/,
    );
    expect(problem?.message).toMatch(/It said: "Error: Unable to establish IPMI v2 \/ RMCP\+ session"/);
  });

  it('a BMC that does not answer is cut at the timeout, naming the address field', () => {
    const problem = powerProblem(ipmi, 'status', { failure: 'timeout', code: null, signal: 'SIGTERM', output: '' }, 3, who);
    expect(problem).toEqual({
      field: 'outOfBand.host',
      message: expect.stringMatching(
        /no answer from the BMC at 127\.0\.0\.1:9623 within 3 s; ipmitool was stopped and nothing was changed/,
      ),
    });
  });

  it('a missing ipmitool says how to install it', () => {
    expect(powerProblem(ipmi, 'on', { failure: 'not-found', code: null, signal: null, output: '' }, 20, who)?.message).toMatch(
      /ipmitool is not installed on this workstation \(Debian\/Ubuntu: apt-get install ipmitool\)/,
    );
  });

  it('a template command names its own field', () => {
    const cloud = { method: 'command' as const, status: ['cloudctl'], on: ['cloudctl'], soft: ['cloudctl'], cycle: ['cloudctl', 'reset'] };
    expect(powerProblem(cloud, 'cycle', { failure: null, code: 4, signal: null, output: 'instance not found\n' }, 20, who)).toEqual({
      field: 'outOfBand.cycle',
      message: 'sw-1 (127.0.0.2): the power cycle command (cloudctl) exited with code 4. It said: "instance not found"',
    });
  });
});
