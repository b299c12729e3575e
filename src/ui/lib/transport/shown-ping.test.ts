import { describe, expect, it } from 'vitest';
import { SHOWN_EVERY_MS, SHOWN_MESSAGE } from '../../../contract/events-shown';
import { createShownPing } from './shown-ping';

function setup(initiallyVisible = true) {
  let now = 1_767_225_600_000;
  let visible = initiallyVisible;
  const ticks = new Set<() => void>();
  const visibility = new Set<() => void>();
  const sent: number[] = [];
  const ping = createShownPing({
    now: () => now,
    visible: () => visible,
    onVisibilityChange: (listener) => (visibility.add(listener), () => visibility.delete(listener)),
    every: (run) => (ticks.add(run), () => ticks.delete(run)),
  });
  const target = {
    send: (data: string) => {
      expect(data).toBe(SHOWN_MESSAGE);
      sent.push(now);
    },
  };
  /** Moves the clock a minute and fires the interval, as the browser would. */
  const minute = () => {
    now += SHOWN_EVERY_MS;
    for (const run of [...ticks]) run();
  };
  const show = (on: boolean) => {
    visible = on;
    for (const run of [...visibility]) run();
  };
  const later = (ms: number) => (now += ms);
  return { ping, target, sent, minute, show, later, ticks, visibility, start: now };
}

describe('the "still shown" ping', () => {
  it('says shown when the socket opens and once a minute while the page is visible', () => {
    const { ping, target, sent, minute, start } = setup();
    ping.attach(target);
    minute();
    minute();
    expect(sent).toEqual([start, start + SHOWN_EVERY_MS, start + 2 * SHOWN_EVERY_MS]);
  });

  it('says nothing while the page is hidden, and at once when it is shown again, never twice a minute', () => {
    const { ping, target, sent, minute, show, later, start } = setup(false);
    ping.attach(target);
    minute();
    expect(sent).toEqual([]);
    show(true);
    expect(sent).toEqual([start + SHOWN_EVERY_MS]);
    // Hidden and shown again within the minute: nothing more until the minute is up.
    show(false);
    later(10_000);
    show(true);
    expect(sent).toHaveLength(1);
    minute();
    expect(sent).toHaveLength(2);
  });

  it('stops with its socket, and a new socket within the minute waits for the minute', () => {
    const { ping, target, sent, minute, later, ticks, visibility } = setup();
    ping.attach(target);
    ping.detach();
    expect(ticks.size).toBe(0);
    expect(visibility.size).toBe(0);
    later(5_000);
    ping.attach(target);
    expect(sent).toHaveLength(1);
    minute();
    expect(sent).toHaveLength(2);
  });

  it('keeps going when a send throws on a socket closing under it', () => {
    const { ping, minute } = setup();
    let tries = 0;
    ping.attach({
      send: () => {
        tries += 1;
        throw new Error('WebSocket is already in CLOSING state');
      },
    });
    minute();
    expect(tries).toBe(2);
  });
});
