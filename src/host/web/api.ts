import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Dispatch } from '../dispatch';
import type { BodyBudget } from './body-budget';
import { sendBody, sendError, sendJson } from './responses';

// `POST /api/call`: the same `{ method, input } -> envelope` as the Electron IPC, handed to the
// same dispatch, which validates the method and input. This file only makes sure a body arrived
// as a JSON object of that shape and within the size limit.

export const CALL_PATH = '/api/call';
/** Fleet imports carry their text inline (the contract allows 50 MB); the limit sits just above. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Bodies held at once, in bytes: four of the largest, a few hundred small calls. */
export const BODY_BUDGET_BYTES = 4 * MAX_BODY_BYTES;

const CallBody = z.strictObject({ method: z.string(), input: z.unknown().optional() });

const BODY_SHAPE = 'The request body must be a JSON object {"method": "...", "input": {...}}.';

export async function handleCall(req: IncomingMessage, res: ServerResponse, dispatch: Dispatch, budget: BodyBudget): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendError(res, 405, { code: 'invalid-input', message: `${CALL_PATH} takes POST only.` });
  }
  // Requiring JSON also means a cross-site form or no-cors fetch cannot even reach dispatch.
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return sendError(res, 415, { code: 'invalid-input', message: 'The request body must be sent as application/json.' });
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  // Declared too large: refused before a byte is read (a client sending `Expect: 100-continue`
  // never sends it at all).
  if (declared > MAX_BODY_BYTES) return sendError(res, 413, tooLarge());
  // A chunked body does not say its size: it may take up to the limit.
  const release = budget.reserve(req.headers['content-length'] === undefined || !Number.isFinite(declared) ? MAX_BODY_BYTES : declared);
  if (release === null) {
    // Read and thrown away (not buffered) so the client sees the refusal rather than a reset.
    req.resume();
    await new Promise<void>((resolve) => req.once('close', resolve).once('end', resolve));
    res.setHeader('Retry-After', '1');
    return sendError(res, 503, {
      code: 'conflict',
      message: `The host is already receiving ${Math.round(budget.inUse() / 1024 / 1024)} MiB of requests (at most ${budget.totalBytes / 1024 / 1024} MiB at once): try again in a moment.`,
      field: 'body',
    });
  }
  let raw: Buffer | 'too-large' | 'aborted';
  try {
    raw = await readBody(req);
  } finally {
    release();
  }
  if (raw === 'aborted') return;
  if (raw === 'too-large') return sendError(res, 413, tooLarge());
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendError(res, 400, { code: 'invalid-input', message: `${BODY_SHAPE} It was not valid JSON.`, field: 'body' });
  }
  const call = CallBody.safeParse(body);
  if (!call.success) return sendError(res, 400, { code: 'invalid-input', message: BODY_SHAPE, field: 'body' });
  try {
    const result = await dispatch(call.data.method, call.data.input);
    // Serialised inside the try: an output JSON cannot carry (a BigInt, a cycle) still gets an envelope.
    const text = JSON.stringify(result);
    res.setHeader('Cache-Control', 'no-store');
    sendBody(res, 200, 'application/json; charset=utf-8', text);
  } catch {
    sendJson(res, 500, {
      ok: false,
      error: { code: 'internal', message: `The Switchyard host failed while answering ${call.data.method}; see its log.` },
    });
  }
}

function tooLarge() {
  return { code: 'invalid-input' as const, message: `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`, field: 'body' };
}

/**
 * The body, or 'too-large' once it passes the limit. An oversized body is still read to its end
 * (and thrown away) before the refusal is sent: Node closes a connection whose request is unread,
 * and closing while the client is still sending resets it, losing the 413 the client should see.
 * The caller already proved it holds the token; the server's request timeout bounds the wait.
 */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks = [];
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    // A client that hangs up mid-body gives its reservation back at once (a settled promise
    // ignores the later calls).
    req.on('close', () => {
      if (!req.complete) resolve('aborted');
    });
    req.on('error', reject);
  });
}
