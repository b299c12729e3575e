import { describe, expect, it } from 'vitest';
import {
  callBody,
  FIRST_CALLS,
  FIRST_SCREEN_ELEMENT_ID,
  FIRST_SCREEN_META_NAME,
  readWrittenAnswer,
  writtenAnswer,
} from '../../contract/first-screen';
import type { Dispatch } from '../dispatch';
import { FIRST_SCREEN_ELEMENT, firstScreenAnswers, jsonForHtml, splitPage } from './first-screen';

// The first screen's answers written into the page: nothing a server's alias holds may end the
// element early, open a comment or a new element, or change the text the page reads back.

const hostile = ['eu</script><script>alert(1)</script>', 'a\u2028b\u2029c', '<!--', 'x</SCRIPT >', '&lt;', '"quoted"\\'];

/** The element's text as an HTML parser delimits it: up to the first `</script` in any case. */
function textOf(element: string): string {
  const open = element.indexOf('>') + 1;
  const close = element.search(/<\/script/i);
  return element.slice(open, close);
}

describe('the first screen element', () => {
  it('holds JSON that reads back to the same values, whatever the aliases hold', () => {
    const answers = {
      [callBody('fleet:list-rows', {})]: { ok: true, data: hostile.map((alias, i) => ({ id: `s${i}`, alias })) },
      [callBody('app:info', {})]: { ok: true, data: { name: '</script><!--' } },
    };
    const members = Object.entries(answers).map(([key, answer], i) => FIRST_SCREEN_ELEMENT.member(key, writtenAnswer(answer), i === 0));
    const element = FIRST_SCREEN_ELEMENT.open + members.join('') + FIRST_SCREEN_ELEMENT.close;
    expect(element.startsWith(`<script type="application/json" id="${FIRST_SCREEN_ELEMENT_ID}">`)).toBe(true);
    expect(element.endsWith('</script>')).toBe(true);
    const read = JSON.parse(textOf(element)) as Record<string, unknown>;
    expect(Object.fromEntries(Object.entries(read).map(([key, answer]) => [key, readWrittenAnswer(answer)]))).toEqual(answers);
  });

  it('carries a long list packed, with the same escaping, and reads it back', () => {
    const rows = { ok: true, data: Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, alias: hostile[i % hostile.length] })) };
    const element = FIRST_SCREEN_ELEMENT.open + FIRST_SCREEN_ELEMENT.member('rows', writtenAnswer(rows), true) + FIRST_SCREEN_ELEMENT.close;
    expect(textOf(element)).not.toMatch(/[<>&\u2028\u2029]/);
    expect(textOf(element)).toContain('$words');
    expect(textOf(element).length).toBeLessThan(JSON.stringify(rows).length * 0.6);
    expect(readWrittenAnswer((JSON.parse(textOf(element)) as { rows: unknown }).rows)).toEqual(rows);
  });

  it('has no <, >, & or line separators in its text, so no markup and no `</script>` inside it', () => {
    const text = jsonForHtml({ aliases: hostile });
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(text).toContain('a\\u2028b\\u2029c');
    expect(JSON.parse(text)).toEqual({ aliases: hostile });
  });
});

describe('the page cut', () => {
  const built =
    '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8" />\n    <script type="module" src="./a.js"></script>\n  </head>\n  <body>\n    <div id="app"></div>\n  </body>\n</html>\n';

  it('puts the marker first in the head and the answers first in the body, the scripts in the part sent at once', () => {
    const { head, rest } = splitPage(built);
    expect(head).toContain(`<head><meta name="${FIRST_SCREEN_META_NAME}" content="inline">`);
    expect(head).toContain('./a.js');
    expect(head.endsWith('<body>')).toBe(true);
    expect(rest.startsWith('\n    <div id="app">')).toBe(true);
    expect((head + rest).replace(`<meta name="${FIRST_SCREEN_META_NAME}" content="inline">`, '')).toBe(built);
  });

  it('still carries the marker in a page without head and body tags', () => {
    const { head, rest } = splitPage('<!doctype html><title>x</title>');
    expect(head).toContain(FIRST_SCREEN_META_NAME);
    expect(rest).toBe('');
  });
});

describe('the answers', () => {
  it('are the dispatch’s own envelopes for every first call, refusals included, asked as the caller', async () => {
    const asked: unknown[] = [];
    const dispatch: Dispatch = (method, input) => {
      asked.push([method, input]);
      return Promise.resolve(
        method === 'monitoring:events' ? { ok: false, error: { code: 'unauthorized', message: 'no' } } : { ok: true, data: method },
      );
    };
    const answers: Record<string, unknown> = {};
    for await (const [key, answer] of firstScreenAnswers(dispatch)) answers[key] = answer;
    expect(asked).toEqual(FIRST_CALLS.map(({ method, input }) => [method, input]));
    expect(answers[callBody('fleet:list-rows', {})]).toEqual({ ok: true, data: 'fleet:list-rows' });
    expect(answers[callBody('monitoring:events', { limit: 200 })]).toMatchObject({ ok: false });
  });

  it('leave out a call whose dispatch throws, and go on with the others', async () => {
    const dispatch: Dispatch = (method) =>
      method === 'fleet:list-rows' ? Promise.reject(new Error('disk')) : Promise.resolve({ ok: true, data: method });
    const keys: string[] = [];
    for await (const [key] of firstScreenAnswers(dispatch)) keys.push(key);
    expect(keys).not.toContain(callBody('fleet:list-rows', {}));
    expect(keys).toHaveLength(FIRST_CALLS.length - 1);
  });

  it('are made one per turn of the event loop, so requests that come in meanwhile are answered between them', async () => {
    const order: string[] = [];
    const dispatch: Dispatch = (method) => {
      order.push(method as string);
      // Something that arrives while this answer is made (a request for the page's script).
      setImmediate(() => order.push('request'));
      return Promise.resolve({ ok: true, data: method });
    };
    for await (const entry of firstScreenAnswers(dispatch)) void entry;
    const firstTwo = FIRST_CALLS.slice(0, 2).map((c) => c.method as string);
    expect(order.slice(0, 3)).toEqual([firstTwo[0], 'request', firstTwo[1]]);
  });
});
