import { describe, expect, it, vi } from 'vitest';
import { writtenAnswer } from '../../../contract/first-screen';

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

  it('written into the page are read once from their element, which is then removed; each answer is taken once', async () => {
    const { callBody, takeWrittenAnswer, sendFirstCalls } = await fresh();
    const rows = callBody('fleet:list-rows', {});
    const envelope = { ok: true, data: [{ alias: 'eu</script>' }] };
    let removed = 0;
    const doc = {
      getElementById: (id: string) =>
        id === 'switchyard-first-screen' ? { textContent: JSON.stringify({ [rows]: envelope }), remove: () => void (removed += 1) } : null,
      querySelector: () => null,
    };
    expect(takeWrittenAnswer(rows, doc)).toEqual(envelope);
    expect(removed).toBe(1);
    expect(takeWrittenAnswer(rows, doc)).toBeUndefined();
    expect(takeWrittenAnswer(callBody('app:info', {}), doc)).toBeUndefined();
    // The console has started: nothing is sent early after this.
    const fetchCall = vi.fn(okReply);
    sendFirstCalls(fetchCall);
    expect(fetchCall).not.toHaveBeenCalled();
  });

  it('written unreadably, or not at all, leave the console to its calls', async () => {
    const { callBody, takeWrittenAnswer, pageBringsAnswers } = await fresh();
    const doc = { getElementById: () => ({ textContent: '{not json', remove: () => undefined }), querySelector: () => null };
    expect(takeWrittenAnswer(callBody('fleet:list-rows', {}), doc)).toBeUndefined();
    expect(pageBringsAnswers(doc)).toBe(false);
    expect(pageBringsAnswers({ getElementById: () => null, querySelector: () => ({ textContent: null, remove: () => undefined }) })).toBe(
      true,
    );
    expect(pageBringsAnswers(undefined)).toBe(false);
  });

  it('written packed are read back as the host gave them; one that cannot be read is left to its call, the others are taken', async () => {
    const { callBody, takeWrittenAnswer } = await fresh();
    const rowsBody = callBody('fleet:list-rows', {});
    const eventsBody = callBody('monitoring:events', { limit: 200 });
    const rows = {
      ok: true,
      data: Array.from({ length: 50 }, (_, i) => ({ id: `s${i}`, alias: i % 2 ? 'eu</script>' : null, zone: 'eu-west' })),
    };
    const written = {
      [rowsBody]: writtenAnswer(rows),
      [eventsBody]: { $packed: { ok: true, data: { $records: { n: 2, keys: ['a'], cols: [[1]] } } } },
    };
    expect(JSON.stringify(written[rowsBody])).toContain('$records');
    const doc = {
      getElementById: () => ({ textContent: JSON.stringify(written), remove: () => undefined }),
      querySelector: () => null,
    };
    expect(takeWrittenAnswer(rowsBody, doc)).toEqual(rows);
    expect(takeWrittenAnswer(eventsBody, doc)).toBeUndefined();
  });
});
