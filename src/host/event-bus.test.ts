import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../contract/events';
import { EventBus } from './event-bus';

const notSamples = { updates: 'not a list' } as unknown as EventPayload<'monitoring:samples'>;

describe('EventBus', () => {
  it('checks a payload against the contract before any listener that takes it sees it', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on((name) => seen.push(name));
    expect(() => bus.emit('monitoring:samples', notSamples)).toThrow();
    expect(seen).toEqual([]);
    bus.emit('monitoring:samples', { updates: [] });
    expect(seen).toEqual(['monitoring:samples']);
  });

  it('skips listeners that do not take the event now, and checks nothing when none does', () => {
    const bus = new EventBus();
    let open = false;
    const seen: string[] = [];
    bus.on(
      (name) => seen.push(name),
      () => open,
    );
    // Nobody takes it: not even validated (a socket with no client costs nothing).
    expect(() => bus.emit('monitoring:samples', notSamples)).not.toThrow();
    open = true;
    expect(() => bus.emit('monitoring:samples', notSamples)).toThrow();
    bus.emit('monitoring:samples', { updates: [] });
    expect(seen).toEqual(['monitoring:samples']);
  });

  it('hands one checked payload to every listener that takes the event', () => {
    const bus = new EventBus();
    const got: unknown[] = [];
    bus.on(
      (_name, payload) => got.push(payload),
      (name) => name === 'monitoring:samples',
    );
    bus.on((_name, payload) => got.push(payload));
    bus.on(
      () => got.push('never'),
      () => false,
    );
    bus.emit('monitoring:samples', { updates: [] });
    expect(got).toHaveLength(2);
    expect(got[0]).toBe(got[1]);
  });
});

describe('EventBus for the host’s own payloads', () => {
  it('says whether anyone takes an event now, held-back events included', () => {
    const bus = new EventBus();
    expect(bus.wanted('monitoring:samples')).toBe(false);
    let open = false;
    bus.on(
      () => undefined,
      () => open,
    );
    expect(bus.wanted('monitoring:samples')).toBe(false);
    open = true;
    expect(bus.wanted('monitoring:samples')).toBe(true);
    bus.holdBack((name) => name !== 'monitoring:samples');
    expect(bus.wanted('monitoring:samples')).toBe(false);
  });

  it('hands a payload of its own producer on as it is, unchecked, to the listeners that take it', () => {
    const bus = new EventBus();
    const got: unknown[] = [];
    bus.on((_name, payload) => got.push(payload));
    const own = { updates: [] };
    bus.emitOwn('monitoring:samples', own);
    expect(got).toEqual([own]);
    expect(got[0]).toBe(own);
  });
});
