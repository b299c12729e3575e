import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionKind, findRecipe, renderCommand, renderRecipe } from '../../domain/ssh/recipe';
import { defaultRecipeBook, loadRecipeBook } from './recipes';

describe('the default recipe book', () => {
  const book = defaultRecipeBook();

  it('has a recipe for every action on both server types', () => {
    for (const action of ActionKind.options) for (const type of ['dispatcher', 'switch'] as const) expect(findRecipe(book, action, type).action).toBe(action);
  });

  it('starts, stops and restarts the SIP service, kamailio by default', () => {
    for (const action of ['start', 'stop', 'restart'] as const) {
      expect(renderRecipe(findRecipe(book, action, 'switch'), {}, book.defaults).line).toBe(`systemctl ${action} -- kamailio`);
    }
    expect(renderRecipe(findRecipe(book, 'os-cycle', 'switch'), {}, book.defaults).line).toBe('systemctl reboot');
  });

  it('states the impact on live calls in the reference\'s terms', () => {
    expect(findRecipe(book, 'stop', 'switch').impact).toMatch(/call/i);
    expect(findRecipe(book, 'restart', 'switch').impact).toMatch(/every call on this server stops/);
    expect(findRecipe(book, 'resize', 'switch').impact).toMatch(/1001 channels or more reboots the server/);
    expect(findRecipe(book, 'resize', 'switch').impact).toMatch(/up to 10 minutes/);
    expect(findRecipe(book, 'update', 'switch').guards).toEqual(['update-pending', 'idle-only']);
  });

  it('refuses Power Cycle until an out-of-band command is configured, and Install until a script is', () => {
    expect(() => renderRecipe(findRecipe(book, 'power-cycle', 'switch'), {}, book.defaults)).toThrow(/out-of-band command/);
    expect(() => renderRecipe(findRecipe(book, 'install', 'switch'), {}, book.defaults)).toThrow(/needs the parameter "installScript"/);
    expect(renderRecipe(findRecipe(book, 'install', 'switch'), { installScript: '/opt/sip/install.sh' }, book.defaults).line).toBe('/opt/sip/install.sh');
  });

  it('the load probe template has no placeholders to fill', () => {
    expect(renderCommand(book.probes.load.command, {}).argv[0]).toBe('sh');
  });
});

describe('loadRecipeBook', () => {
  it('says which file and where it is wrong', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-recipes-'));
    try {
      const file = path.join(dir, 'mine.json');
      writeFileSync(file, JSON.stringify({ version: 1, recipes: [{ action: 'explode' }], probes: {} }));
      expect(() => loadRecipeBook(file)).toThrow(/mine.json is not valid at recipes.0/);
      writeFileSync(file, '{');
      expect(() => loadRecipeBook(file)).toThrow(/cannot be read as JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
