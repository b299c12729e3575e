import { describe, expect, it, vi } from 'vitest';

// Each test loads the module afresh: its state (what was sent, whether the console has called)
// is the page's, one per page.
async function fresh() {
  vi.resetModules();
  return import('./first-calls');
}

const okReply = (_url: string, _init: RequestInit) => Promise.resolve(new Response('{"ok":true,"data":[]}'));

describe('the first calls', () => {
  it('are sent once each and taken once, by a call with exactly the same body', async () => {
    const { FIRST_CALLS, callBody, sendFirstCalls, takeFirstCall } = await fresh();
    const fetchCall = vi.fn(okReply);
    sendFirstCalls(fetchCall);
    const body = callBody(FIRST_CALLS[0]!.method, FIRST_CALLS[0]!.input);
    const reply = takeFirstCall(body);
    expect(reply).toBeDefined();
    await reply;
    expect(fetchCall).toHaveBeenCalledTimes(FIRST_CALLS.length);
    expect(fetchCall.mock.calls.map(([, init]) => init.body)).toContain(body);
    expect(takeFirstCall(body)).toBeUndefined();
    expect(takeFirstCall(callBody('fleet:list-rows', { other: true }))).toBeUndefined();
  });

  it('are not sent once the console has made a call: a reply fetched then would be older than what it asks next', async () => {
    const { FIRST_CALLS, callBody, sendFirstCalls, takeFirstCall } = await fresh();
    const fetchCall = vi.fn(okReply);
    expect(takeFirstCall(callBody('app:info', {}))).toBeUndefined();
    sendFirstCalls(fetchCall);
    await Promise.resolve();
    expect(fetchCall).not.toHaveBeenCalled();
    for (const { method, input } of FIRST_CALLS) expect(takeFirstCall(callBody(method, input))).toBeUndefined();
  });
});
