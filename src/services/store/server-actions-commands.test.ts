import { describe, expect, it } from 'vitest';
import { CommandMethod } from '../../contract/power-methods';
import { commandsFromJson } from './server-actions-repo';

// The store's own check of stored power commands must accept exactly what the contract's schema accepts.
const good = { status: ['aws', 'ec2', 'describe', '{alias}'], on: ['on', '{ip}'], soft: ['soft'], cycle: ['cycle'] };
const rows: Array<[string, string | null]> = [
  ['the four templates', JSON.stringify(good)],
  ['a missing template', JSON.stringify({ ...good, cycle: undefined })],
  ['an extra key', JSON.stringify({ ...good, shell: ['sh'] })],
  ['an empty template', JSON.stringify({ ...good, on: [] })],
  ['a number in a template', JSON.stringify({ ...good, soft: ['kill', 9] })],
  ['too many arguments', JSON.stringify({ ...good, soft: Array.from({ length: 65 }, () => 'x') })],
  ['an over-long argument', JSON.stringify({ ...good, soft: ['x'.repeat(1025)] })],
  ['an array', '[1,2]'],
  ['not JSON', '{status:'],
  ['no row value', null],
];

describe('stored power commands', () => {
  it.each(rows)('%s: same verdict as CommandMethod', (_, text) => {
    let schema: CommandMethod | null = null;
    try {
      const parsed = CommandMethod.safeParse({ method: 'command', ...(JSON.parse(text ?? '{}') as object) });
      schema = parsed.success ? parsed.data : null;
    } catch {
      schema = null;
    }
    expect(commandsFromJson(text)).toEqual(schema);
  });

  it('reads back a saved method whole', () => {
    expect(commandsFromJson(JSON.stringify(good))).toEqual({ method: 'command', ...good });
  });
});
