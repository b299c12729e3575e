// The recipes describe an action's impact on one server ("every call on this server stops"), as
// the reference does. On a selection of several the same words must speak of all of them, or a
// tired operator reads "this server" and restarts four.

const MANY: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bon this server\b/g, 'on these servers'],
  [/\bthis server\b/g, 'each of these servers'],
  [/\bThis server\b/g, 'Each of these servers'],
  [/\bthe server\b/g, 'each server'],
  [/\bThe server\b/g, 'Each server'],
];

/** The impact text for `count` servers: unchanged for one, every reference to "the server" made plural. */
export function impactFor(text: string, count: number): string {
  if (count <= 1) return text;
  return MANY.reduce((out, [pattern, plural]) => out.replace(pattern, plural), text);
}
