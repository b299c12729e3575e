import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { impactFor } from './impact-wording';

const book = JSON.parse(readFileSync(new URL('../../../resources/recipes/default.json', import.meta.url), 'utf8')) as {
  recipes: { action: string; impact: string }[];
};
const impactOf = (action: string) => book.recipes.find((r) => r.action === action)?.impact ?? '';

describe('impactFor', () => {
  it('says "these servers" for Restart on four, and leaves one server\'s words alone', () => {
    const restart = impactOf('restart');
    expect(restart).toContain('every call on this server stops');
    expect(impactFor(restart, 4)).toContain('every call on these servers stops');
    expect(impactFor(restart, 4)).toContain('each server takes calls again');
    expect(impactFor(restart, 1)).toBe(restart);
  });

  it('leaves no "this server" or "the server" in any shipped recipe\'s impact on many', () => {
    for (const recipe of book.recipes) {
      expect(impactFor(recipe.impact, 3), recipe.action).not.toMatch(/\b[Tt]his server\b|\b[Tt]he server\b/);
    }
  });
});
