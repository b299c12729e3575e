import { describe, expect, test } from 'vitest';
import type { CallError } from '../../contract/result';
import {
  capitalised,
  createOrError,
  renameOrError,
  showsRowActions,
  sortedByName,
  type NamedItem,
  type NamedListConfig,
} from './named-list';

const item = (id: string, name: string): NamedItem => ({ id, name, description: '' });

function config(overrides: Partial<NamedListConfig<NamedItem>> = {}): NamedListConfig<NamedItem> {
  return {
    noun: 'zone',
    testid: 'zones',
    placeholder: '',
    create: (draft) => Promise.resolve({ id: 'new', ...draft }),
    rename: () => Promise.resolve(),
    ...overrides,
  };
}

const refusal: CallError = { code: 'invalid-input', message: 'Name must not be empty', field: 'name' };
const toError = (e: unknown): CallError => (e instanceof Error ? { ...refusal, message: e.message } : refusal);

describe('named list', () => {
  test('sorts by name in reading order without touching the input', () => {
    const input = [item('1', 'eu-west'), item('2', 'Core'), item('3', 'ásia'), item('4', 'b')];
    expect(sortedByName(input).map((x) => x.name)).toEqual(['ásia', 'b', 'Core', 'eu-west']);
    expect(input.map((x) => x.id)).toEqual(['1', '2', '3', '4']);
  });

  test('row actions are hidden when read-only and on the row being renamed', () => {
    expect(showsRowActions(false, null, 'a')).toBe(true);
    expect(showsRowActions(false, 'b', 'a')).toBe(true);
    expect(showsRowActions(false, 'a', 'a')).toBe(false);
    expect(showsRowActions(true, null, 'a')).toBe(false);
  });

  test('capitalises the noun for a toast', () => {
    expect(capitalised('cluster')).toBe('Cluster');
    expect(capitalised('')).toBe('');
  });

  test('a create resolves with the created item, or with the refusal for the form', async () => {
    const ok = await createOrError(config(), { name: 'EU', description: 'd' }, toError);
    expect(ok).toEqual({ created: { id: 'new', name: 'EU', description: 'd' }, error: null });
    const bad = await createOrError(
      config({ create: () => Promise.reject(new Error('Name is taken')) }),
      { name: 'EU', description: '' },
      toError,
    );
    expect(bad.created).toBeNull();
    expect(bad.error?.message).toBe('Name is taken');
  });

  test('a rename resolves with null once saved, or the message shown beside the name', async () => {
    const seen: [string, string][] = [];
    const saving = config({ rename: (x, name) => Promise.resolve(void seen.push([x.id, name])) });
    expect(await renameOrError(saving, item('z1', 'old'), 'new', toError)).toBeNull();
    expect(seen).toEqual([['z1', 'new']]);
    const refusing = config({ rename: () => Promise.reject(new Error('A zone named EU already exists')) });
    expect(await renameOrError(refusing, item('z1', 'old'), 'EU', toError)).toBe('A zone named EU already exists');
  });
});
