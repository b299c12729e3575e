import { describe, expect, it } from 'vitest';
import type { CommandMethod } from '../../contract/power-methods';
import { checkPowerMethod, powerCall } from './power-method';
import { renderPower } from './power-plan';

const server = { id: 'srv-1', ip: '192.0.2.10', alias: "sw-1'; reboot" };
const ipmi = { method: 'ipmi' as const, host: '192.0.2.200', port: 6230, user: 'admin', cipherSuite: 3 as const };
const cloud: CommandMethod = {
  method: 'command',
  status: ['/usr/local/bin/cloudctl', 'server', 'show', '--name', '{alias}', '--format={{state}}'],
  on: ['cloudctl', 'server', 'start', '{alias}'],
  soft: ['cloudctl', 'server', 'stop', '{alias}'],
  cycle: ['cloudctl', 'server', 'reset', '--hard', '{ip}'],
};

describe('out-of-band calls', () => {
  it('runs ipmitool over lanplus with the password from the environment, never on the command line', () => {
    const call = powerCall(ipmi, 'cycle', server);
    expect(call.argv).toEqual([
      'ipmitool',
      '-I',
      'lanplus',
      '-H',
      '192.0.2.200',
      '-p',
      '6230',
      '-U',
      'admin',
      '-E',
      '-C',
      '3',
      'chassis',
      'power',
      'cycle',
    ]);
    expect(call.needsPassword).toBe(true);
    expect(call.argv).not.toContain('-P');
    expect(call.line).toBe('ipmitool -I lanplus -H 192.0.2.200 -p 6230 -U admin -E -C 3 chassis power cycle');
  });

  it('fills a command template per server as literal arguments, with {{ }} as braces', () => {
    const call = powerCall(cloud, 'status', server);
    expect(call.argv).toEqual(['/usr/local/bin/cloudctl', 'server', 'show', '--name', "sw-1'; reboot", '--format={state}']);
    expect(call.needsPassword).toBe(false);
    expect(powerCall(cloud, 'cycle', server).argv.at(-1)).toBe('192.0.2.10');
  });

  it.each([
    [
      { ...cloud, soft: ['sh', '-c', 'cloudctl stop {alias}'] },
      'method.soft.0',
      /runs "sh", which would read the server's name or address as shell text/,
    ],
    [{ ...cloud, on: ['/usr/bin/env', 'cloudctl'] }, 'method.on.0', /runs "env"/],
    [{ ...cloud, cycle: ['{alias}'] }, 'method.cycle.0', /name its program directly/],
    [{ ...cloud, cycle: ['-rf'] }, 'method.cycle.0', /not a program name or absolute path/],
    [{ ...cloud, status: ['cloudctl', '{password}'] }, 'method.status.1', /"\{password\}" is not a placeholder Switchyard fills/],
    [{ ...cloud, status: ['cloudctl', 'a\nb'] }, 'method.status.1', /control character/],
  ])('refuses a template that is not safe to run (%#)', (method, field, message) => {
    expect(() => checkPowerMethod(method)).toThrow(message);
    try {
      checkPowerMethod(method);
    } catch (error) {
      expect((error as { field?: string }).field).toBe(field);
    }
  });

  it('renders OS Cycle as soft off, a wait for off, then on', () => {
    const plan = renderPower({ steps: ['soft', 'wait-off', 'on'], callTimeoutSec: 20, waitSec: 300, pollSec: 5 }, ipmi, server);
    expect(plan.steps.map((s) => (s.kind === 'call' ? s.call.op : `wait-${s.until}`))).toEqual(['soft', 'wait-off', 'on']);
    expect(plan.needsPassword).toBe(true);
    expect(plan.line).toContain('wait until the power is off (up to 300 s)');
  });
});
