import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, methods } from '../../src/contract/methods';
import { resultSchema } from '../../src/contract/result';
import { z } from 'zod';
import { request as httpRequest } from 'node:http';
import { sampleInputs } from '../helpers/fake-host';
import { bearer, call, send, startFixture, type Fixture } from '../helpers/web-client';

// POST /api/call: every answer is the contract's envelope, whatever arrives; and a read-only host
// refuses exactly the calls the contract marks as mutating, checked method by method.

const Envelope = resultSchema(z.unknown());

let fx: Fixture;
let port: number;
let token: string;

beforeAll(async () => {
  fx = await startFixture();
  ({ port, token } = fx.host);
});
afterAll(() => fx.close());

function envelope(body: string) {
  return Envelope.parse(JSON.parse(body));
}

describe('POST /api/call', () => {
  it('answers a call with the dispatch envelope', async () => {
    const reply = await call(port, token, { method: 'app:info', input: {} });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, data: { name: 'Switchyard', readOnly: false } });
  });

  it('treats a missing input as {}', async () => {
    const reply = await call(port, token, { method: 'fleet:list-zones' });
    expect(envelope(reply.body).ok).toBe(true);
  });

  it('requires application/json (415), so a cross-site form cannot post', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const reply = await send(port, {
        method: 'POST',
        path: '/api/call',
        headers: { ...bearer(token), ...(type === '' ? {} : { 'content-type': type }) },
        body: '{"method":"fleet:load-demo","input":{}}',
      });
      expect(reply.status, type).toBe(415);
      expect(envelope(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(fx.app.handled).not.toContain('fleet:load-demo');
    const charset = await call(port, token, '{"method":"app:info","input":{}}', { 'content-type': 'Application/JSON; charset=utf-8' });
    expect(charset.status).toBe(200);
  });

  it('takes POST only', async () => {
    const reply = await send(port, { method: 'GET', path: '/api/call', headers: bearer(token) });
    expect(reply.status).toBe(405);
    expect(envelope(reply.body).ok).toBe(false);
  });

  it('refuses a body declared larger than 64 MiB before reading it', async () => {
    const reply = await send(port, {
      method: 'POST',
      path: '/api/call',
      headers: { ...bearer(token), 'content-type': 'application/json', 'content-length': 64 * 1024 * 1024 + 1 },
      body: '{}',
    }).catch((error: unknown) => error);
    if (reply instanceof Error) throw reply;
    expect(reply).toMatchObject({ status: 413 });
  });

  it('stops reading a streamed body once it passes 64 MiB', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/call',
          headers: { host: `127.0.0.1:${port}`, ...bearer(token), 'content-type': 'application/json' },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      // The server closes the connection after refusing; a write cut short by that is expected.
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 80) {
          sent += 1;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      req.write('{"method":"app:info","input":"');
      pump();
      setTimeout(() => reject(new Error('no answer to an oversized body')), 30_000).unref();
    });
    expect(status).toBe(413);
    expect((await call(port, token, { method: 'app:info', input: {} })).status).toBe(200);
  });

  const malformed: Record<string, string> = {
    'not JSON': 'method=app:info',
    'truncated JSON': '{"method":"app:info"',
    'an empty body': '',
    'an array': '[{"method":"app:info","input":{}}]',
    'a string': '"app:info"',
    null: 'null',
    'a number': '42',
    'a method that is not a string': '{"method":7,"input":{}}',
    'no method': '{"input":{}}',
    'an extra top-level field': '{"method":"app:info","input":{},"admin":true}',
    'a top-level __proto__': '{"method":"app:info","input":{},"__proto__":{"polluted":true}}',
  };
  for (const [name, body] of Object.entries(malformed)) {
    it(`answers ${name} with 400 and an invalid-input envelope`, async () => {
      const reply = await call(port, token, body);
      expect(reply.status).toBe(400);
      expect(envelope(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'body' } });
    });
  }

  it('answers an unknown or hostile method name with unknown-method', async () => {
    for (const method of ['fleet:drop-database', '__proto__', 'constructor', 'toString', 'x'.repeat(1_000_000)]) {
      const reply = await call(port, token, { method, input: {} });
      expect(reply.status).toBe(200);
      const result = envelope(reply.body);
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
      expect(reply.body.length).toBeLessThan(1000);
    }
  });

  it('refuses hostile inputs with typed errors, never reaching a handler', async () => {
    const before = fx.app.handled.length;
    const inputs: unknown[] = [
      [],
      'zone',
      null,
      { name: 'x'.repeat(10_000_000), description: '' },
      JSON.parse('{"name":"EU","description":"","__proto__":{"polluted":true}}'),
      { name: 'EU', description: '', constructor: { prototype: { polluted: true } } },
      { name: 'EU\u0000', description: '' },
    ];
    for (const input of inputs) {
      const reply = await call(port, token, { method: 'fleet:create-zone', input });
      expect(reply.status).toBe(200);
      expect(envelope(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(fx.app.handled.length).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps serving after every hostile body above', async () => {
    const reply = await call(port, token, { method: 'settings:get', input: {} });
    expect(envelope(reply.body)).toMatchObject({ ok: true });
    expect(fx.logged).toEqual([]);
  });
});

describe('every contract method over HTTP', () => {
  it('has an honest fake: each sample answer matches the method’s output schema', async () => {
    for (const method of methodNames) {
      const reply = await call(port, token, { method, input: sampleInputs[method] });
      const result = envelope(reply.body);
      expect(result.ok, method).toBe(true);
      if (result.ok) expect(methods[method].output.safeParse(result.data).success, method).toBe(true);
    }
  });

  describe('on a read-only host', () => {
    let ro: Fixture;
    beforeAll(async () => {
      ro = await startFixture({ readOnly: true });
    });
    afterAll(() => ro.close());

    for (const method of methodNames) {
      const spec = methods[method];
      if (spec.mutates) {
        it(`refuses ${method} (mutates) with read-only, even before its input is checked`, async () => {
          for (const input of [sampleInputs[method], {}, { junk: true }, 'not an object']) {
            const reply = await call(ro.host.port, ro.host.token, { method, input });
            expect(envelope(reply.body)).toMatchObject({ ok: false, error: { code: 'read-only' } });
          }
          expect(ro.app.handled).not.toContain(method);
        });
      } else {
        it(`answers ${method} (query) and never with read-only`, async () => {
          const good = envelope((await call(ro.host.port, ro.host.token, { method, input: sampleInputs[method] })).body);
          expect(good.ok).toBe(true);
          const empty = envelope((await call(ro.host.port, ro.host.token, { method, input: {} })).body);
          if (!empty.ok) expect(empty.error.code).not.toBe('read-only');
        });
      }
    }
  });
});
