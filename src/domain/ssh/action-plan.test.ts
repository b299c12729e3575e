import { describe, expect, it } from 'vitest';
import { defaultRecipeBook } from '../../services/actions/recipes';
import { actionAvailability } from './action-availability';
import { checkConfirmation, planAction, type PlanTarget } from './action-plan';
import { csvCell } from './audit-export';

const book = defaultRecipeBook();
const server = (n: number, over: Partial<PlanTarget> = {}): PlanTarget => ({
  id: `s${n}`,
  alias: `sw-${n}`,
  ip: `192.0.2.${n}`,
  type: 'switch',
  updatePending: false,
  activeChannels: null,
  ...over,
});
const ipmi = { method: 'ipmi' as const, host: '192.0.2.200', port: 623, user: 'admin', cipherSuite: 17 as const };

describe('planAction', () => {
  it('asks for the count typed back only for a destructive action on more than one server', () => {
    expect(planAction(book, 'restart', [server(1)], {})).toMatchObject({ confirm: 'simple', confirmText: null });
    expect(planAction(book, 'restart', [server(1), server(2), server(3)], {})).toMatchObject({
      confirm: 'typed',
      confirmText: '3',
      confirmHint: 'the number of servers',
    });
    expect(planAction(book, 'start', [server(1), server(2)], {})).toMatchObject({ confirm: 'simple' });
  });

  it('Restart Server reboots over SSH and says how it differs from the cycles', () => {
    const plan = planAction(book, 'restart', [server(1)], {});
    expect(plan).toMatchObject({ runsOn: 'ssh', label: 'Restart Server' });
    expect(plan.servers[0]?.command.line).toBe('systemctl reboot');
    expect(plan.differs).toMatch(/OS Cycle/);
    expect(plan.differs).toMatch(/Power Cycle is a hard reset/);
  });

  it('refuses Run Server Update on a server with no pending update, naming it', () => {
    expect(() => planAction(book, 'update', [server(1, { updatePending: true }), server(2)], {})).toThrow(/sw-2 \(192\.0\.2\.2\) has none/);
    const busy = planAction(book, 'update', [server(1, { updatePending: true, activeChannels: 12 })], {});
    expect(busy.warnings[0]).toMatch(/active calls \(12\)/);
  });

  it('Resize over 1,000 channels warns of the reboot and needs the channel count typed back, even on one server', () => {
    const big = planAction(book, 'resize', [server(1)], { channels: '1001' });
    expect(big.warnings.join()).toMatch(/reboots the server/);
    expect(big).toMatchObject({ confirm: 'typed', confirmText: '1001', confirmHint: 'the new channel count' });
    expect(() => checkConfirmation(big, '1')).toThrow(/"1" is not the new channel count: type 1001/);
    expect(planAction(book, 'resize', [server(1)], { channels: '1000' })).toMatchObject({ warnings: [], confirm: 'simple' });
    // On several servers the count of servers is what is typed, as for any destructive action.
    expect(planAction(book, 'resize', [server(1), server(2)], { channels: '2000' })).toMatchObject({ confirmText: '2' });
  });

  it('refuses a resize to 0, to a fraction, or with a program swapped, naming the server and the field', () => {
    for (const [params, message] of [
      [{ channels: '0' }, /Resize Capacity on sw-1 \(192\.0\.2\.1\): New channel count must be at least 1 channel/],
      [{ channels: '1.5' }, /sw-1 \(192\.0\.2\.1\): New channel count must be a whole number/],
      [{ channels: '100', resizeScript: '/usr/bin/curl' }, /"resizeScript" is set by the recipe book and cannot be replaced/],
    ] as const) {
      const attempt = () => planAction(book, 'resize', [server(1)], params);
      expect(attempt).toThrow(message);
      try {
        attempt();
      } catch (error) {
        expect((error as { field?: string }).field).toBe(`params.${Object.keys(params).at(-1)}`);
      }
    }
  });

  it("Install runs each server's own command unless one is typed for all, and refuses when none is set", () => {
    const own = planAction(
      book,
      'install',
      [
        server(1, { paramDefaults: { installScript: '/opt/a.sh' } }),
        server(2, { paramDefaults: { installScript: 'https://example.net/i.sh' } }),
      ],
      {},
    );
    expect(own.servers.map((p) => p.command.line.split(' ').at(-1))).toEqual(['/opt/a.sh', 'https://example.net/i.sh']);
    // The recipe's inline script is shown by its name; the actions log keeps the whole line.
    expect(own.servers[0]?.command.display).toBe("sh -c '…' switchyard-install /opt/a.sh");
    const typed = planAction(book, 'install', [server(1, { paramDefaults: { installScript: '/opt/a.sh' } })], {
      installScript: '/opt/b.sh',
    });
    expect(typed.servers[0]?.command.line).toMatch(/ \/opt\/b\.sh$/);
    expect(() => planAction(book, 'install', [server(1)], {})).toThrow(
      /needs an install command for sw-1 \(192\.0\.2\.1\): none is set for it or for the fleet/,
    );
    expect(() => planAction(book, 'install', [server(1)], { installScript: '' })).toThrow(/install command is empty/i);
    expect(() => planAction(book, 'install', [server(1)], { installScript: 'curl x | sh' })).toThrow(
      /neither an absolute path nor an https:\/\/ URL/,
    );
    // A stored value is checked as strictly as a typed one.
    expect(() => planAction(book, 'install', [server(1, { paramDefaults: { installScript: '/opt/x.sh; reboot' } })], {})).toThrow(
      /not a plain path/,
    );
  });

  it('Power Cycle and OS Cycle run out of band: refused with no method or no IPMI password, never over SSH', () => {
    expect(() => planAction(book, 'power-cycle', [server(1)], {})).toThrow(
      /sw-1 \(192\.0\.2\.1\) has no out-of-band method\. Power Cycle is a hard reset .* never over SSH/,
    );
    expect(() => planAction(book, 'os-cycle', [server(1)], {})).toThrow(
      /would stay off until someone pressed its power button, so OS Cycle is not run.*use Restart Server/,
    );
    expect(() => planAction(book, 'power-cycle', [server(1, { outOfBand: ipmi })], {})).toThrow(
      /no IPMI password is stored for user "admin" at the BMC 192\.0\.2\.200:623/,
    );
    const plan = planAction(book, 'power-cycle', [server(1, { outOfBand: ipmi, outOfBandPasswordSet: true })], {});
    expect(plan.runsOn).toBe('out-of-band');
    expect(plan.servers[0]?.command.line).toBe('ipmitool -I lanplus -H 192.0.2.200 -p 623 -U admin -E -C 17 chassis power cycle');
    const os = planAction(book, 'os-cycle', [server(1, { outOfBand: ipmi, outOfBandPasswordSet: true })], {});
    expect(os.servers[0]?.command.line).toBe(
      'ipmitool -I lanplus -H 192.0.2.200 -p 623 -U admin -E -C 17 chassis power soft → wait until the power is off (up to 300 s) → ipmitool -I lanplus -H 192.0.2.200 -p 623 -U admin -E -C 17 chassis power on',
    );
    expect(() => planAction(book, 'power-cycle', [server(1, { outOfBand: ipmi, outOfBandPasswordSet: true })], { force: '1' })).toThrow(
      /takes no parameters/,
    );
    expect(os.servers[0]?.command.display).toBe(
      'ipmitool → BMC 192.0.2.200:623 as admin: chassis power soft → wait until off (up to 300 s) → chassis power on',
    );
  });
});

describe('actionAvailability', () => {
  it('says why an action cannot run and which setting fixes it', () => {
    const list = actionAvailability(book, [server(1), server(2, { outOfBand: ipmi, outOfBandPasswordSet: true })]);
    const of = (action: string) => list.find((a) => a.action === action);
    expect(list.map((a) => a.action)).toEqual([
      'install',
      'start',
      'stop',
      'restart',
      'os-cycle',
      'power-cycle',
      'update',
      'resize',
      'restart-service',
    ]);
    expect(of('install')).toMatchObject({ available: false, fix: { setting: 'fleet-install-command', serverId: null } });
    expect(of('power-cycle')).toMatchObject({ available: false, fix: { setting: 'server-out-of-band', serverId: 's1' } });
    expect(of('update')).toMatchObject({ available: false, fix: null });
    for (const action of ['start', 'stop', 'restart', 'resize', 'restart-service'])
      expect(of(action)).toMatchObject({ available: true, reason: null });
  });
});

describe('checkConfirmation', () => {
  const plan = planAction(book, 'stop', [server(1), server(2)], {});
  it('accepts the count, with spaces around it', () => expect(() => checkConfirmation(plan, ' 2 ')).not.toThrow());
  it.each([undefined, '', '3', 'two', '2 servers'])('refuses %j', (typed) =>
    expect(() => checkConfirmation(plan, typed)).toThrow(/type 2/),
  );
});

describe('csvCell', () => {
  it('quotes separators and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvCell('=cmd()')).toBe(`"'=cmd()"`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
});
