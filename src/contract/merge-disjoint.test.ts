import { describe, expect, it } from 'vitest';
import { mergeDisjoint } from './merge-disjoint';
import { methodNames, methods } from './methods';

describe('mergeDisjoint', () => {
  it('merges named parts keeping every entry and its order', () => {
    const merged = mergeDisjoint('test map', { a: { 'x:one': 1, 'x:two': 'two' }, b: { 'y:three': true } });
    expect(merged).toEqual({ 'x:one': 1, 'x:two': 'two', 'y:three': true });
    expect(Object.keys(merged)).toEqual(['x:one', 'x:two', 'y:three']);
    // The type keeps each entry's own type.
    const two: string = merged['x:two'];
    expect(two).toBe('two');
  });

  it('throws on a key declared twice, naming the key and both parts, where a spread would keep the last', () => {
    const fleetMethods = { 'fleet:list-servers': 'first' };
    const toolsMethods = { 'tools:start-ping': 'ping', 'fleet:list-servers': 'second' };
    expect({ ...fleetMethods, ...toolsMethods }['fleet:list-servers']).toBe('second');
    expect(() => mergeDisjoint('contract methods', { fleetMethods, toolsMethods })).toThrow(
      'contract methods: "fleet:list-servers" is declared by both fleetMethods and toolsMethods',
    );
  });

  it('assembles the real contract with every method once', () => {
    expect(new Set(methodNames).size).toBe(methodNames.length);
    expect(methods['fleet:list-servers']).toBeDefined();
  });
});
