import { SERVER_FIELD_LABELS, serverFieldOf } from './fleet/server-fields';

// The name a person reads for a field the contract refused. Server fields have their form labels
// ("UDP port"); any other path is named by its last word, de-camelised ("maxConcurrentToolRuns" →
// "Max concurrent tool runs"), with the list position when the field sits in a list. The path itself
// stays in the error's `field` for the form to find its box; it is never the words on screen.

export function fieldLabel(path: string): string {
  if (path === '') return 'The input';
  const server = serverFieldOf(path);
  if (server !== null) return SERVER_FIELD_LABELS[server];
  const parts = path.split('.');
  const named = [...parts].reverse().find((p) => !/^\d+$/.test(p)) ?? 'item';
  const words = named
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  const index = parts.findLast((p) => /^\d+$/.test(p));
  return index === undefined ? label : `${label} (item ${Number(index) + 1})`;
}

/** What a value of zod's expected type is called in a sentence: "must be a number". */
export function expectedWords(expected: string): string {
  const words: Record<string, string> = {
    int: 'a whole number',
    number: 'a number',
    string: 'text',
    boolean: 'true or false',
    object: 'an object',
    array: 'a list',
    bigint: 'a whole number',
    date: 'a date',
  };
  return words[expected] ?? expected;
}
