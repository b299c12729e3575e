// Every method of the contract, called by every role through the real dispatch: a caller below the
// method's role is refused with `forbidden` before its input is parsed and before any handler runs;
// a caller at or above it gets through. Which role a method needs is declared in the contract
// (src/contract/spec.ts, beside `mutates`); this walk holds dispatch to it, and pins the rules:
// viewers change and run nothing (the read-only host's rules), operators do the day-to-day work
// listed below, everything else that changes or runs something is for admins.
import { describe, expect, it } from 'vitest';
import { methodNames, methods, type MethodName } from '../../src/contract/methods';
import { ROLES, roleAtLeast, type Role } from '../../src/contract/roles';
import { allowedOnReadOnlyHost, roleNeeded, type MethodSpec } from '../../src/contract/spec';
import { createFakeHost, sampleInputs } from '../helpers/fake-host';

/** The NOC's day-to-day work: acknowledge and silence alerts, run tools and server actions, diagnose. */
const OPERATOR_METHODS = [
  'actions:cancel',
  'actions:run',
  'alerts:acknowledge',
  'alerts:create-silence',
  'alerts:end-silence',
  'certs:check',
  'dispatcher:read-view',
  'media:measure',
  'monitoring:backend',
  'platform:keepalive',
  'registrations:for-server',
  'snapshots:save',
  'ssh:answer-host-key',
  'tools:cancel',
  'tools:delete-run',
  'tools:save-pasted',
  'tools:start-mtr',
  'tools:start-ping',
  'uac:status',
];

const caller = (role: Role) => ({ account: `${role}-1`, role, address: '192.0.2.9' });
const spec = (method: MethodName): MethodSpec => methods[method];

describe('roles per method', () => {
  it('declares viewer only for what a read-only host allows, operator for the listed work, admin for the rest', () => {
    for (const method of methodNames) {
      const s = spec(method);
      const changes = s.mutates || s.effects.length > 0;
      if (changes) expect(s.role, method).not.toBe('viewer');
      if (s.role === 'viewer') expect(allowedOnReadOnlyHost(s), method).toBe(true);
    }
    expect(methodNames.filter((m) => spec(m).role === 'operator').sort()).toEqual(OPERATOR_METHODS);
    // Reading the accounts is an admin's business even though it changes nothing.
    expect(spec('accounts:list').role).toBe('admin');
  });

  it('walks every method with every role: refused below its role with nothing run, allowed at or above', async () => {
    let refused = 0;
    let allowed = 0;
    for (const role of ROLES) {
      for (const method of methodNames) {
        const host = createFakeHost();
        const input = sampleInputs[method];
        const needed = roleNeeded(spec(method), spec(method).input.parse(input));
        const result = await host.dispatch(method, input, caller(role));
        if (roleAtLeast(role, needed)) {
          expect(result.ok ? 'ok' : result.error.code, `${role} ${method}`).toBe('ok');
          expect(host.handled, `${role} ${method}`).toEqual([method]);
          allowed++;
        } else {
          expect(result.ok, `${role} ${method}`).toBe(false);
          if (result.ok) continue;
          expect(result.error.code).toBe('forbidden');
          const Role = `${role.charAt(0).toUpperCase()}${role.slice(1)}`;
          expect(result.error.message).toMatch(new RegExp(`^${Role} accounts cannot .+ \\(${method}\\): it needs ${needed}\\.$`));
          expect(host.handled, `${role} ${method}`).toEqual([]);
          refused++;
        }
      }
    }
    // Admins get everything; each lower role is refused something.
    expect(allowed + refused).toBe(methodNames.length * ROLES.length);
    expect(refused).toBeGreaterThan(methodNames.length / 2);
  });

  it('refuses a viewer every method that changes or runs anything, and an operator every admin method', async () => {
    const host = createFakeHost();
    for (const method of methodNames) {
      const s = spec(method);
      const viewer = await host.dispatch(method, sampleInputs[method], caller('viewer'));
      const changes = s.mutates || (s.effects.length > 0 && !allowedOnReadOnlyHost(s, s.input.parse(sampleInputs[method])));
      if (changes) expect(viewer.ok ? 'ok' : viewer.error.code, method).toBe('forbidden');
      const operator = await host.dispatch(method, sampleInputs[method], caller('operator'));
      if (s.role === 'admin') expect(operator.ok ? 'ok' : operator.error.code, method).toBe('forbidden');
    }
  });

  it('refuses before parsing: a viewer sending garbage to an admin method hears about the role, not the input', async () => {
    const host = createFakeHost();
    const result = await host.dispatch('fleet:delete-servers', { ids: 42, extra: true }, caller('viewer'));
    expect(result).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Viewer accounts cannot delete servers (fleet:delete-servers): it needs admin.' },
    });
    const ack = await host.dispatch('alerts:acknowledge', 'not an object', caller('viewer'));
    expect(ack.ok ? '' : ack.error.message).toBe('Viewer accounts cannot acknowledge alerts (alerts:acknowledge): it needs operator.');
  });

  it('judges a call whose effects depend on its input after parsing: a viewer may read the keepalive report, not refresh it', async () => {
    const host = createFakeHost();
    const plain = await host.dispatch('platform:keepalive', {}, caller('viewer'));
    expect(plain.ok).toBe(true);
    const refresh = await host.dispatch('platform:keepalive', { refresh: true }, caller('viewer'));
    expect(refresh.ok ? '' : refresh.error.code).toBe('forbidden');
    expect(host.handled).toEqual(['platform:keepalive']);
  });

  it('lets the local user (no caller given) make every call, as before accounts', async () => {
    const host = createFakeHost();
    const result = await host.dispatch('accounts:add', sampleInputs['accounts:add']);
    expect(result.ok).toBe(true);
  });
});
