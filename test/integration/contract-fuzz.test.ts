import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, methods, type MethodName } from '../../src/contract/methods';
import { CallError } from '../../src/contract/result';
import { HOSTILE_ARGS } from '../helpers/hostile-args';
import { startServe, type ServeProcess } from '../helpers/serve-process';

// The contract under hostile input, through the real web host (`switchyard serve` as its own
// process, a real store in a fresh data folder): every method gets generated inputs its schema
// refuses — wrong types, unknown and prototype-polluting keys, huge and odd numbers, shell
// metacharacters, control characters, lone surrogates, 100 kB strings, nesting — plus hostile
// method names and raw bodies. Each call must come back as a typed envelope; after each batch the
// host must still answer /api/health and must have started no process. About 2,400 calls a run,
// bounded by the numbers below (well under a minute on a loaded two-core machine).

const RUNS_PER_METHOD = 16;
/** Methods per batch: the host's health and its processes are checked after each. */
const METHODS_PER_BATCH = 8;
const SEED = Number(process.env.SWITCHYARD_FUZZ_SEED ?? Date.now() % 2_147_483_647);

let serve: ServeProcess;
let dataDir: string;
let origin: string;
let token: string;
let baseline: Set<number>;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'switchyard-fuzz-'));
  serve = await startServe(['--data', dataDir]);
  const url = new URL(serve.url);
  origin = url.origin;
  token = url.searchParams.get('token') ?? '';
  baseline = liveChildren();
}, 60_000);
afterAll(async () => {
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * Processes the host has running now, read from /proc (each thread lists the children it
 * started); zombies are excluded: they have ended, not started.
 */
function liveChildren(): Set<number> {
  const pid = serve.child.pid;
  const found = new Set<number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      let state = '';
      try {
        state = /\) (\S)/.exec(readFileSync(`/proc/${child}/stat`, 'utf8'))?.[1] ?? '';
      } catch {
        continue; // gone meanwhile
      }
      if (state !== 'Z') found.add(Number(child));
    }
  }
  return found;
}

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; json: unknown }> {
  const reply = await fetch(`${origin}/api/call`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    body,
  });
  const text = await reply.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: reply.status, json };
}

/** The host is up, answers, and has started nothing since the suite began. */
async function expectHealthy(after: string): Promise<void> {
  expect(serve.child.exitCode, `the host exited after ${after}`).toBeNull();
  const health = await fetch(`${origin}/api/health`, { headers: { authorization: `Bearer ${token}` } });
  expect(health.status, `health after ${after}`).toBe(200);
  const started = [...liveChildren()].filter((pid) => !baseline.has(pid));
  expect(started, `processes started by ${after}`).toEqual([]);
}

function expectRefusal(json: unknown, codes: readonly string[], shown = ''): void {
  expect(json, shown).toMatchObject({ ok: false });
  const error = CallError.safeParse((json as { error?: unknown }).error);
  expect(error.success, `${shown} ${JSON.stringify(json).slice(0, 300)}`).toBe(true);
  if (!error.success) return;
  expect(codes, shown).toContain(error.data.code);
  expect(error.data.message.length).toBeGreaterThan(0);
  // A refusal is a sentence for a person, never a stack trace.
  expect(error.data.message).not.toMatch(/\n\s+at /);
}

const hostileString = fc.oneof(
  fc.constantFrom(
    ...HOSTILE_ARGS,
    '__proto__',
    'constructor',
    '../../../../etc/passwd',
    '\u0000',
    '\uD800',
    '%00',
    'A'.repeat(100_000),
    '=HYPERLINK("http://evil.example","click")',
    '127.0.0.1; reboot',
    '-oProxyCommand=touch /tmp/x',
    'sip:x@evil.example',
    'ö'.repeat(5000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 65_536, 4_294_967_296),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', ''), fc.string({ maxLength: 12 }));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
}));

/** The method's own field names when its input is an object: hostile values reach the field checks. */
function fieldsOf(name: MethodName): string[] {
  const schema: unknown = methods[name].input;
  if (typeof schema !== 'object' || schema === null || !('shape' in schema)) return [];
  const shape = schema.shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}

/**
 * Inputs the method's schema refuses. Only those: a valid input may legitimately start work (a
 * ping, an SSH session), which is not what this suite is about. Filtered after sampling, so a
 * schema that refuses little cannot make generation spin.
 */
function inputsFor(name: MethodName, seed: number): unknown[] {
  const fields = fieldsOf(name);
  const keyed =
    fields.length === 0
      ? value
      : fc.dictionary(fc.oneof(fc.constantFrom(...fields), hostileKey), value, { minKeys: 1, maxKeys: fields.length + 2 });
  // A schema that throws (an object without a prototype where a string belongs) refuses too: the
  // host turns the throw into a refusal; over the wire such an object arrives with a prototype.
  const refused = (input: unknown) => {
    try {
      return !methods[name].input.safeParse(input ?? {}).success;
    } catch {
      return true;
    }
  };
  return fc
    .sample(fc.oneof(value, keyed), { numRuns: RUNS_PER_METHOD * 3, seed })
    .filter(refused)
    .slice(0, RUNS_PER_METHOD);
}

describe('contract fuzzing through the web host', () => {
  it(`answers every method's hostile inputs with a typed refusal (${methodNames.length} methods × ${RUNS_PER_METHOD}, seed ${SEED})`, async () => {
    let calls = 0;
    for (const [index, name] of methodNames.entries()) {
      // One batch per method, sent at once (as a busy page would): the seed makes it repeatable.
      const inputs = inputsFor(name, SEED + index);
      const replies = await Promise.all(inputs.map((input) => post(JSON.stringify({ method: name, input }))));
      replies.forEach(({ status, json }, i) => {
        const shown = `${name} ${JSON.stringify(inputs[i]).slice(0, 200)}`;
        expect(status, shown).toBe(200);
        expectRefusal(json, ['invalid-input'], shown);
      });
      calls += replies.length;
      if ((index + 1) % METHODS_PER_BATCH === 0 || index === methodNames.length - 1) await expectHealthy(`the batch ending with ${name}`);
    }
    // Thousands a run: nearly every generated input is one the schema refuses.
    expect(calls).toBeGreaterThan(methodNames.length * RUNS_PER_METHOD * 0.9);
  }, 120_000);

  it('refuses hostile method names as unknown, whatever they look like', async () => {
    const names = fc.oneof(
      hostileString,
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'fleet:list-servers ', 'FLEET:LIST-SERVERS'),
    );
    const calls = fc.sample(
      fc.tuple(names, value).filter(([method]) => !(methodNames as string[]).includes(method)),
      { numRuns: 300, seed: SEED },
    );
    for (let i = 0; i < calls.length; i += 25) {
      const batch = calls.slice(i, i + 25);
      const replies = await Promise.all(batch.map(([method, input]) => post(JSON.stringify({ method, input }))));
      replies.forEach(({ status, json }, j) => {
        const shown = JSON.stringify(batch[j]?.[0]).slice(0, 100);
        expect(status, shown).toBe(200);
        expectRefusal(json, ['unknown-method'], shown);
      });
    }
    await expectHealthy('hostile method names');
  });

  it('refuses malformed bodies with a typed envelope', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const bodies: [string, string][] = [
      ['', 'application/json'],
      ['{', 'application/json'],
      ['null', 'application/json'],
      ['[]', 'application/json'],
      ['"fleet:list-servers"', 'application/json'],
      ['{"method":1}', 'application/json'],
      ['{"method":"app:info","input":{},"extra":1}', 'application/json'],
      [`{"method":"app:info","input":${deep}}`, 'application/json'],
      ['{"method":"app:info","input":{}}', 'text/plain'],
      ['method=app:info', 'application/x-www-form-urlencoded'],
      [`{"method":"fleet:import","input":{"format":"csv","text":"${'x'.repeat(8 * 1024 * 1024)}"}}`, 'application/json'],
      ['\uFEFF{"method":"app:info","input":{}}', 'application/json'],
    ];
    for (const [body, type] of bodies) {
      const { status, json } = await post(body, type);
      expect([200, 400, 415], body.slice(0, 60)).toContain(status);
      if (status !== 200) expectRefusal(json, ['invalid-input']);
      else expect(json).toHaveProperty('ok');
    }
    await expectHealthy('malformed bodies');
  });
});
