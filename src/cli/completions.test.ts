import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bashCompletion, COMPLETION_FILES, zshCompletion } from './completions';
import { COMMANDS } from './command-list';

const checkedIn = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('completion scripts', () => {
  it('are checked in exactly as generated from the command list (run `npm run build:completions` after editing it)', () => {
    expect(checkedIn(COMPLETION_FILES.bash)).toBe(bashCompletion());
    expect(checkedIn(COMPLETION_FILES.zsh)).toBe(zshCompletion());
  });

  it('know every command path of the list and every option its synopsis names', () => {
    const bash = bashCompletion();
    for (const entry of COMMANDS) {
      expect(bash, entry.name).toContain(`    "${entry.name}") subs=`);
      for (const option of entry.synopsis.match(/--[a-z][a-z0-9-]*/g) ?? []) {
        const line = bash.split('\n').find((l) => l.startsWith(`    "${entry.name}") `)) ?? '';
        expect(line, `${entry.name} ${option}`).toMatch(new RegExp(`opts="[^"]*${option}( |")`));
      }
    }
  });
});
