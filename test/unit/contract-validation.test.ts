import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import type { ServerDraft } from '../../src/contract/fleet';
import { methodNames, methods, type MethodName } from '../../src/contract/methods';
import { CallError, type Result } from '../../src/contract/result';
import { DomainError, refuseIssues } from '../../src/domain/errors';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { createDispatch, zodError, type Dispatch, type DispatchOptions, type Handlers } from '../../src/host/dispatch';
import { sampleInputs } from '../helpers/fake-host';

// The dispatcher is the one door every call comes through, and the renderer behind it is not
// trusted. Each test sends something hostile and checks the typed refusal and that no handler ran.

const draft: ServerDraft = { ...defaultServerDraft('zone-eu'), ip: '192.0.2.10', alias: 'edge-1' };

/** A valid input for every method (the fake host's table, typed by the contract, so no method is left out). */
const validInputs = sampleInputs;

type Spy = ReturnType<typeof vi.fn<(input: unknown) => unknown>>;

/** Every contract method answered by a spy that records its input and returns a marker. */
function spies(answer: (method: MethodName, input: unknown) => unknown = (method) => ({ handledBy: method })) {
  const table = new Map<MethodName, Spy>(methodNames.map((m) => [m, vi.fn((input: unknown) => answer(m, input))]));
  const handlers = Object.fromEntries(table) as unknown as Handlers;
  const calls = () => [...table.values()].reduce((n, spy) => n + spy.mock.calls.length, 0);
  const spy = (m: MethodName): Spy => table.get(m) as Spy;
  return { handlers, calls, spy };
}

function setup(options: Partial<DispatchOptions> = {}, answer?: (method: MethodName, input: unknown) => unknown) {
  const s = spies(answer);
  const dispatch: Dispatch = createDispatch(s.handlers, { readOnlyReason: () => null, ...options });
  return { ...s, dispatch };
}

/** The refusal of a call; fails the test if the call succeeded or the error is not a CallError. */
async function refused(dispatch: Dispatch, method: unknown, input: unknown): Promise<CallError> {
  const result: Result<unknown> = await dispatch(method, input);
  if (result.ok) throw new Error(`expected ${String(method)} to be refused`);
  return CallError.parse(result.error);
}

/** Sends the input as a renderer would: through JSON, which has no NaN, Infinity or undefined. */
const overJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const withDraft = (patch: Record<string, unknown>) => ({ ...draft, ...patch });
const withConfig = (patch: Record<string, unknown>) => ({ ...draft, config: { ...draft.config, ...patch } });
const withPorts = (patch: Record<string, unknown>) => withConfig({ ports: { ...draft.config.ports, ...patch } });
const withSsh = (patch: Record<string, unknown>) => ({ ...draft, ssh: { ...draft.ssh, ...patch } });

describe('createDispatch', () => {
  it('refuses to start without a handler for every contract method', () => {
    const { handlers } = spies();
    const incomplete: Partial<Handlers> = { ...handlers };
    delete incomplete['fleet:export'];
    expect(() => createDispatch(incomplete as Handlers, { readOnlyReason: () => null })).toThrow(/fleet:export/);
  });

  it('passes every valid call through to its own handler, parsed', async () => {
    const { dispatch, spy, calls } = setup();
    for (const method of methodNames) {
      const result = await dispatch(method, validInputs[method]);
      expect(result).toEqual({ ok: true, data: { handledBy: method } });
      expect(spy(method)).toHaveBeenCalledTimes(1);
    }
    expect(calls()).toBe(methodNames.length);
  });

  it('hands the handler the parsed input: trimmed, with defaults filled in', async () => {
    const { dispatch, spy } = setup();
    await dispatch('fleet:create-zone', { name: '  EU  ', description: ' Frankfurt ' });
    expect(spy('fleet:create-zone')).toHaveBeenCalledWith({ name: 'EU', description: 'Frankfurt' });
    await dispatch('fleet:delete-cluster', { id: 'c-main' });
    expect(spy('fleet:delete-cluster')).toHaveBeenCalledWith({ id: 'c-main', members: 'refuse' });
  });

  it('treats a missing input as an empty object', async () => {
    const { dispatch } = setup();
    expect(await dispatch('fleet:list-servers', undefined)).toMatchObject({ ok: true });
  });
});

describe('method names', () => {
  it.each([
    'fleet:drop-database',
    '',
    'FLEET:LIST-SERVERS',
    ' fleet:list-servers',
    'fleet:list-servers\u0000',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
  ])('refuses the unknown method %j', async (method) => {
    const { dispatch, calls } = setup();
    const error = await refused(dispatch, method, {});
    expect(error.code).toBe('unknown-method');
    expect(error.message).toContain(JSON.stringify(method));
    expect(calls()).toBe(0);
  });

  it.each([
    ['a number', 1],
    ['null', null],
    ['undefined', undefined],
    ['an object', { toString: () => 'fleet:list-servers' }],
    ['an array', ['fleet:list-servers']],
    ['a boolean', true],
    ['a symbol', Symbol('fleet:list-servers')],
  ])('refuses %s as a method name', async (_what, method) => {
    const { dispatch, calls } = setup();
    const error = await refused(dispatch, method, {});
    expect(error.code).toBe('unknown-method');
    expect(error.message).toMatch(/^Unknown method of type \w+\.$/);
    expect(calls()).toBe(0);
  });

  it('does not echo a huge method name back', async () => {
    const error = await refused(setup().dispatch, 'x'.repeat(1_000_000), {});
    expect(error.code).toBe('unknown-method');
    expect(error.message.length).toBeLessThan(120);
  });

  it('refuses any string that is not a contract method', async () => {
    const { dispatch, calls } = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.string().filter((s) => !(methodNames as string[]).includes(s)),
        async (method) => {
          expect((await refused(dispatch, method, {})).code).toBe('unknown-method');
        },
      ),
    );
    expect(calls()).toBe(0);
  });
});

describe('hostile inputs', () => {
  type Case = [string, MethodName, unknown, string, RegExp?];
  const cases: Case[] = [
    // wrong types
    ['channels as text', 'fleet:create-server', withDraft({ channels: '100' }), 'channels', /^Channels must be a number\./],
    ['a port as text', 'fleet:create-server', withPorts({ udp: '5060' }), 'config.ports.udp', /^UDP port must be a number\./],
    ['a boolean as text', 'fleet:create-server', withConfig({ webrtcTls: 'true' }), 'config.webrtcTls', /must be true or false/],
    ['an id as a number', 'fleet:get-server', { id: 42 }, 'id', /^Id must be text\./],
    ['an unknown enum value', 'fleet:create-server', withDraft({ type: 'router' }), 'type'],
    ['an unknown format', 'fleet:export', { format: 'xml' }, 'format'],
    ['an id that is a path', 'fleet:delete-zone', { id: '../../etc/passwd' }, 'id', /identifier/],
    ['an id list item that is a path', 'fleet:delete-servers', { ids: ['s-1', 'a/b'] }, 'ids.1'],
    ['an empty id list', 'fleet:delete-servers', { ids: [] }, 'ids'],
    ['fractional channels', 'fleet:create-server', withDraft({ channels: 1.5 }), 'channels', /^Channels must be a whole number/],
    ['a fractional port', 'fleet:create-server', withPorts({ tls: 5061.5 }), 'config.ports.tls', /whole number/],
    // negative numbers and zero
    ['negative channels', 'fleet:create-server', withDraft({ channels: -1 }), 'channels', /at least 1/],
    ['zero CPS', 'fleet:create-server', withDraft({ cps: 0 }), 'cps', /at least 1/],
    ['a negative port', 'fleet:create-server', withPorts({ udp: -5060 }), 'config.ports.udp', /1–65535/],
    ['a port above 65535', 'fleet:create-server', withPorts({ tcp: 65536 }), 'config.ports.tcp', /1–65535/],
    ['a negative SSH port', 'fleet:create-server', withSsh({ port: -22 }), 'ssh.port', /1–65535/],
    ['a negative setting', 'settings:update', { expiringSoonDays: -1 }, 'expiringSoonDays'],
    ['an expiry beyond any date', 'fleet:create-server', withDraft({ expiresAt: 9e15 }), 'expiresAt', /date/],
    // NaN and Infinity, as objects and as JSON delivers them (null)
    ['NaN channels', 'fleet:create-server', withDraft({ channels: Number.NaN }), 'channels', /^Channels must be a number\./],
    ['Infinity CPS', 'fleet:create-server', withDraft({ cps: Number.POSITIVE_INFINITY }), 'cps'],
    ['-Infinity port', 'fleet:create-server', withPorts({ udp: Number.NEGATIVE_INFINITY }), 'config.ports.udp'],
    [
      'NaN channels through JSON',
      'fleet:create-server',
      overJson(withDraft({ channels: Number.NaN })),
      'channels',
      /^Channels must be a number\./,
    ],
    [
      'Infinity port through JSON',
      'fleet:create-server',
      overJson(withPorts({ udp: Number.POSITIVE_INFINITY })),
      'config.ports.udp',
      /^UDP port must be a number/,
    ],
    ['null channels', 'fleet:create-server', withDraft({ channels: null }), 'channels'],
    // missing fields
    ['a missing description', 'fleet:create-zone', { name: 'EU' }, 'description', /^Description must be text/],
    ['a missing draft', 'fleet:update-zone', { id: 'zone-eu' }, 'draft', /^Draft must be an object/],
    ['a missing id', 'fleet:get-server', {}, 'id'],
    ['a missing port', 'fleet:create-server', withConfig({ ports: { udp: 5060, tcp: 5061 } }), 'config.ports.tls'],
    ['a missing config', 'fleet:create-server', { ...draft, config: undefined }, 'config'],
    // arrays and other things where an object belongs
    ['an array as input', 'fleet:create-zone', [], 'input', /^The input must be an object/],
    ['an array for a query', 'fleet:list-servers', [], 'input'],
    ['null as input', 'fleet:create-zone', null, 'input'],
    ['a string as input', 'fleet:get-server', 's-1', 'input'],
    ['a number as input', 'settings:update', 7, 'input'],
    ['an array as the draft', 'fleet:update-zone', { id: 'zone-eu', draft: [] }, 'draft'],
    ['an array as the config', 'fleet:create-server', withDraft({ config: [] }), 'config'],
    ['an object as the id list', 'fleet:delete-servers', { ids: { 0: 's-1', length: 1 } }, 'ids'],
    // strings that are too long or not allowed
    ['a blank alias', 'fleet:create-server', withDraft({ alias: '   ' }), 'alias', /^Alias is required/],
    ['a 65-character alias', 'fleet:create-server', withDraft({ alias: 'a'.repeat(65) }), 'alias', /at most 64/],
    ['a right-to-left override in the alias', 'fleet:create-server', withDraft({ alias: 'edge\u202E1-' }), 'alias', /control characters/],
    ['a zero-width space in the alias', 'fleet:create-server', withDraft({ alias: 'edge\u200B1' }), 'alias', /control characters/],
    [
      'a joined emoji sequence in the alias',
      'fleet:create-server',
      withDraft({ alias: 'ops \u{1F468}\u200D\u{1F4BB}' }),
      'alias',
      /control characters/,
    ],
    ['a NUL in a zone name', 'fleet:create-zone', { name: 'EU\u0000west', description: '' }, 'name', /control characters/],
    ['a newline in a cluster name', 'fleet:create-cluster', { name: 'Main\nB', description: '' }, 'name', /control characters/],
    ['an empty SSH user', 'fleet:create-server', withSsh({ user: '' }), 'ssh.user'],
  ];

  const named = cases.map(([what, method, input, field, message]) => ({ what, method, input, field, message }));
  it.each(named)('refuses $what ($method) on $field without calling a handler', async ({ method, input, field, message }) => {
    const { dispatch, calls } = setup();
    const error = await refused(dispatch, method, input);
    expect(error.code).toBe('invalid-input');
    expect(error.field).toBe(field);
    expect(error.issues?.[0]).toEqual({ field, message: error.message });
    if (message) expect(error.message).toMatch(message);
    expect(calls()).toBe(0);
  });

  it.each<[string, MethodName, unknown, string, string]>([
    ['an extra top-level field', 'fleet:create-zone', { name: 'EU', description: '', admin: true }, 'input', 'admin'],
    ['an extra field in a query', 'fleet:list-servers', { limit: 1 }, 'input', 'limit'],
    ['an extra draft field', 'fleet:create-server', withDraft({ id: 's-forged' }), 'input', 'id'],
    [
      'forged bookkeeping',
      'fleet:create-server',
      withDraft({ installRecommended: false, status: 'online' }),
      'input',
      'installRecommended, status',
    ],
    ['an extra config field', 'fleet:create-server', withConfig({ shell: 'rm -rf /' }), 'config', 'shell'],
    ['an extra port', 'fleet:create-server', withPorts({ ws: 8080 }), 'config.ports', 'ws'],
    ['an extra settings field', 'settings:update', { dataDir: '/tmp' }, 'input', 'dataDir'],
  ])('refuses %s, naming it', async (_what, method, input, field, keys) => {
    const { dispatch, calls } = setup();
    const error = await refused(dispatch, method, input);
    expect(error).toMatchObject({ code: 'invalid-input', field });
    expect(error.message).toContain(`unknown field(s): ${keys}`);
    expect(calls()).toBe(0);
  });

  it.each([
    ['__proto__ at the top', 'fleet:create-zone', '{"name":"EU","description":"","__proto__":{"polluted":true}}', '__proto__'],
    [
      'constructor at the top',
      'fleet:create-zone',
      '{"name":"EU","description":"","constructor":{"prototype":{"polluted":true}}}',
      'constructor',
    ],
    [
      '__proto__ in a nested object',
      'fleet:update-zone',
      '{"id":"zone-eu","draft":{"name":"EU","description":"","__proto__":{"polluted":true}}}',
      '__proto__',
    ],
    ['prototype in a query', 'fleet:list-zones', '{"prototype":{}}', 'prototype'],
  ] as const)('refuses %s as an unknown field and pollutes nothing', async (_what, method, json, key) => {
    const { dispatch, calls } = setup();
    const error = await refused(dispatch, method, JSON.parse(json));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain(key);
    expect(calls()).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses, never throws, where a schema would throw: an object without a prototype where a string belongs', async () => {
    const { dispatch, calls } = setup();
    // The string check compares the value's length; an object with no prototype cannot be compared.
    const length = Object.create(null) as object;
    const error = await refused(dispatch, 'fleet:delete-zone', { id: { length } });
    expect(error).toMatchObject({ code: 'invalid-input', field: 'input' });
    expect(calls()).toBe(0);
  });

  it('refuses a 10 MB alias quickly, without echoing it', async () => {
    const { dispatch, calls } = setup();
    const started = performance.now();
    const error = await refused(dispatch, 'fleet:create-server', withDraft({ alias: 'A'.repeat(10_000_000) }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'invalid-input', field: 'alias' });
    expect(JSON.stringify(error).length).toBeLessThan(500);
    expect(calls()).toBe(0);
  });

  it('refuses a 10 MB IP and a 10 MB import format, without echoing them', async () => {
    const { dispatch, calls } = setup();
    const ip = await refused(dispatch, 'fleet:create-server', withDraft({ ip: '1'.repeat(10_000_000) }));
    expect(ip.field).toBe('ip');
    const format = await refused(dispatch, 'fleet:import', { format: 'j'.repeat(10_000_000), text: '' });
    expect(format.field).toBe('format');
    expect(JSON.stringify([ip, format]).length).toBeLessThan(1000);
    expect(calls()).toBe(0);
  });

  it('lists every refused field at once', async () => {
    const error = await refused(setup().dispatch, 'fleet:create-server', withDraft({ channels: 0, cps: 'x', alias: '' }));
    expect(error.issues?.map((i) => i.field).sort()).toEqual(['alias', 'channels', 'cps']);
    expect(error.issues?.find((i) => i.field === 'alias')?.message).toBe('Alias is required.');
  });

  it('accepts letters of any script and a plain emoji in an alias, as sent', async () => {
    const { dispatch, spy } = setup();
    for (const alias of ['Zürich 1', '東京-1', 'edge 🚀', 'ops ❤️']) {
      expect(await dispatch('fleet:create-server', withDraft({ alias }))).toMatchObject({ ok: true });
      expect(spy('fleet:create-server')).toHaveBeenLastCalledWith(expect.objectContaining({ alias }));
    }
  });

  it('never calls a handler with input its schema refuses, for any JSON value', async () => {
    const { dispatch, calls } = setup();
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methodNames), fc.jsonValue(), async (method, input) => {
        const before = calls();
        const accepted = methods[method].input.safeParse(input).success;
        const result = await dispatch(method, input);
        expect(result.ok).toBe(accepted);
        if (!result.ok) {
          refusals += 1;
          expect(CallError.parse(result.error).code).toBe('invalid-input');
          expect(calls()).toBe(before);
        }
      }),
    );
    expect(refusals).toBeGreaterThan(0);
  });
});

describe('handler failures', () => {
  it('turns a DomainError into its code, message, field, row and issues', async () => {
    const { dispatch } = setup({}, () => {
      throw new DomainError('invalid-input', 'Line 3: udp_port must be 1–65535. Nothing was imported.', { field: 'udp_port', row: 3 });
    });
    expect(await dispatch('fleet:import', { format: 'csv', text: 'x' })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'Line 3: udp_port must be 1–65535. Nothing was imported.', field: 'udp_port', row: 3 },
    });
  });

  it('turns refused issues into a conflict carrying every field', async () => {
    const { dispatch } = setup({}, () =>
      refuseIssues([
        { field: 'ip', message: 'IP 192.0.2.10 is already used by server "edge-0".', conflict: true },
        { field: 'config.fqdn', message: 'WebRTC and TLS need an FQDN.' },
      ]),
    );
    expect(await dispatch('fleet:create-server', draft)).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'IP 192.0.2.10 is already used by server "edge-0".',
        field: 'ip',
        issues: [
          { field: 'ip', message: 'IP 192.0.2.10 is already used by server "edge-0".' },
          { field: 'config.fqdn', message: 'WebRTC and TLS need an FQDN.' },
        ],
      },
    });
  });

  it('passes not-found through from an async handler', async () => {
    const { dispatch } = setup({}, async () => {
      await Promise.resolve();
      throw new DomainError('not-found', 'Server s-9 does not exist (it may have been deleted).');
    });
    expect(await dispatch('fleet:get-server', { id: 's-9' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'Server s-9 does not exist (it may have been deleted).' },
    });
  });

  it('turns any other failure into internal, reported but without a stack', async () => {
    const reported: [string, unknown][] = [];
    const failure = new Error('database is locked');
    const { dispatch } = setup({ onInternalError: (method, error) => reported.push([method, error]) }, () => {
      throw failure;
    });
    const error = await refused(dispatch, 'fleet:list-servers', {});
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/fleet:list-servers/);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toMatch(/\bat .*:\d+:\d+/);
    expect(error.message).not.toContain(failure.stack?.split('\n')[1]?.trim() ?? 'unreachable');
    expect(Object.keys(error).sort()).toEqual(['code', 'message']);
    expect(reported).toEqual([['fleet:list-servers', failure]]);
  });

  it('treats a thrown non-Error and an Error named like a DomainError as internal', async () => {
    const thrown: unknown[] = ['just a string', Object.assign(new Error('fake'), { name: 'DomainError', code: 'conflict', field: 'ip' })];
    for (const value of thrown) {
      const { dispatch } = setup({}, () => {
        throw value;
      });
      const error = await refused(dispatch, 'app:info', {});
      expect(error.code).toBe('internal');
      expect(error.field).toBeUndefined();
    }
  });
});

describe('read-only mode', () => {
  const reason = 'Switchyard is showing a snapshot: nothing can be changed.';
  const mutating = methodNames.filter((m) => methods[m].mutates);
  const queries = methodNames.filter((m) => !methods[m].mutates);

  it('knows which methods change something', () => {
    expect(mutating).toContain('fleet:create-server');
    expect(mutating).toContain('fleet:import');
    expect(mutating).toContain('fleet:load-demo');
    expect(mutating).toContain('settings:update');
    expect(mutating).toEqual(
      expect.arrayContaining([
        'tools:start-ping',
        'tools:start-mtr',
        'tools:cancel',
        'tools:delete-run',
        'tools:save-pasted',
        'ssh:answer-host-key',
      ]),
    );
    // Each area adds its own reads; these are the ones that must stay reads.
    expect(queries).toEqual(
      expect.arrayContaining([
        'app:info',
        'settings:get',
        'fleet:list-zones',
        'fleet:list-clusters',
        'fleet:list-servers',
        'fleet:get-server',
        'fleet:list-rtp',
        'fleet:export',
        'tools:list-runs',
        'tools:get-run',
        'tools:export-run',
        'tools:parse-pasted',
        'ssh:list-host-key-prompts',
      ]),
    );
  });

  it.each(mutating)('refuses %s with read-only, before looking at the input', async (method) => {
    const { dispatch, calls } = setup({ readOnlyReason: () => reason });
    for (const input of [validInputs[method], null, { junk: true }, 'x'.repeat(1000)]) {
      expect(await refused(dispatch, method, input)).toEqual({ code: 'read-only', message: reason });
    }
    expect(calls()).toBe(0);
  });

  it.each(queries)('lets the query %s through', async (method) => {
    const { dispatch, spy } = setup({ readOnlyReason: () => reason });
    expect(await dispatch(method, validInputs[method])).toEqual({ ok: true, data: { handledBy: method } });
    expect(spy(method)).toHaveBeenCalledTimes(1);
  });

  it('still validates queries in read-only mode', async () => {
    const { dispatch, calls } = setup({ readOnlyReason: () => reason });
    expect((await refused(dispatch, 'fleet:get-server', { id: '' })).code).toBe('invalid-input');
    expect(calls()).toBe(0);
  });

  it('asks for the reason on every call, so leaving read-only mode takes effect at once', async () => {
    let current: string | null = reason;
    const { dispatch } = setup({ readOnlyReason: () => current });
    expect((await refused(dispatch, 'fleet:create-zone', validInputs['fleet:create-zone'])).code).toBe('read-only');
    current = null;
    expect(await dispatch('fleet:create-zone', validInputs['fleet:create-zone'])).toMatchObject({ ok: true });
  });
});

describe('zodError', () => {
  it('names the input itself when the top level is wrong', () => {
    const parsed = z.strictObject({ a: z.number() }).safeParse('x');
    expect(parsed.success).toBe(false);
    if (!parsed.success)
      expect(zodError(parsed.error)).toEqual({
        code: 'invalid-input',
        message: 'The input must be an object.',
        field: 'input',
        issues: [{ field: 'input', message: 'The input must be an object.' }],
      });
  });

  it('joins nested paths with dots, array positions included', () => {
    const parsed = z.strictObject({ a: z.array(z.strictObject({ b: z.string() })) }).safeParse({ a: [{ b: 'ok' }, { b: 1 }] });
    if (!parsed.success) expect(zodError(parsed.error)).toMatchObject({ field: 'a.1.b', message: 'B (item 2) must be text.' });
    else expect.unreachable('the schema should refuse');
  });
});
