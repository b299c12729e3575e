import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionKind, findRecipe, RecipeBook, renderCommand, renderRecipe } from '../../domain/ssh/recipe';
import { currentRecipeBook, defaultRecipeBook, loadRecipeBook } from './recipes';

describe('the default recipe book', () => {
  const book = defaultRecipeBook();

  it('has a recipe for every action on both server types', () => {
    for (const action of ActionKind.options)
      for (const type of ['dispatcher', 'switch'] as const) expect(findRecipe(book, action, type).action).toBe(action);
  });

  it('Restart Server reboots; Start, Stop and Restart SIP service drive the SIP service, kamailio by default', () => {
    const line = (action: ActionKind) => renderRecipe(findRecipe(book, action, 'switch'), {}, book.defaults).line;
    expect(line('restart')).toBe('systemctl reboot');
    expect(findRecipe(book, 'restart', 'switch').expectDisconnect).toBe(true);
    expect(line('start')).toBe('systemctl start -- kamailio');
    expect(line('stop')).toBe('systemctl stop -- kamailio');
    expect(line('restart-service')).toBe('systemctl restart -- kamailio');
  });

  it('OS Cycle and Power Cycle run out of band, never over SSH', () => {
    expect(findRecipe(book, 'power-cycle', 'switch')).toMatchObject({ command: null, outOfBand: { steps: ['cycle'] } });
    expect(findRecipe(book, 'os-cycle', 'switch')).toMatchObject({ command: null, outOfBand: { steps: ['soft', 'wait-off', 'on'] } });
    expect(() => renderRecipe(findRecipe(book, 'power-cycle', 'switch'), {}, book.defaults)).toThrow(/runs out of band, not over SSH/);
    // A book that puts them on SSH is refused when it is read, naming the recipe.
    const bad = {
      ...book,
      recipes: book.recipes.map((r) =>
        r.action === 'power-cycle' ? { ...r, outOfBand: undefined, command: ['ipmitool', 'chassis', 'power', 'cycle'] } : r,
      ),
    };
    expect(RecipeBook.safeParse(bad).error?.issues[0]?.message).toMatch(/Power Cycle runs out of band .* never over SSH/);
  });

  it('every recipe keeps its maintenance grace, and says how it differs where actions end alike', () => {
    for (const recipe of book.recipes) expect(recipe.maintenanceGraceSec, recipe.action).toBeGreaterThan(0);
    for (const action of ['restart', 'os-cycle', 'power-cycle', 'restart-service'] as const)
      expect(findRecipe(book, action, 'switch').differs).toMatch(/Restart Server|OS Cycle|Power Cycle/);
  });

  it("states the impact on live calls in the reference's terms", () => {
    expect(findRecipe(book, 'stop', 'switch').impact).toMatch(/call/i);
    expect(findRecipe(book, 'restart', 'switch').impact).toMatch(/^Reboots the server/);
    expect(findRecipe(book, 'os-cycle', 'switch').impact).toMatch(/^Shuts down the server using the operating system's mechanisms/);
    expect(findRecipe(book, 'power-cycle', 'switch').impact).toMatch(
      /^Shuts down the server using a hard reset \(emulating pressing the power button\)/,
    );
    expect(findRecipe(book, 'resize', 'switch').impact).toMatch(/1001 channels or more reboots the server/);
    expect(findRecipe(book, 'resize', 'switch').impact).toMatch(/up to 10 minutes/);
    expect(findRecipe(book, 'update', 'switch').guards).toEqual(['update-pending', 'idle-only']);
  });

  it('Install runs the install command given as its one declared parameter, path or https URL', () => {
    const install = findRecipe(book, 'install', 'switch');
    expect(install.params).toEqual({ installScript: { label: 'Install command', shape: 'install-command' } });
    expect(() => renderRecipe(install, {}, book.defaults)).toThrow(/needs the parameter "installScript"/);
    const rendered = renderRecipe(install, { installScript: '/opt/sip/install.sh' }, book.defaults);
    expect(rendered.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(rendered.argv.slice(-2)).toEqual(['switchyard-install', '/opt/sip/install.sh']);
    expect(() => renderRecipe(install, { installScript: 'install.sh; reboot' }, book.defaults)).toThrow(
      /neither an absolute path nor an https:\/\/ URL/,
    );
  });

  it('a caller can never replace a default that names a program', () => {
    const resize = findRecipe(book, 'resize', 'switch');
    const attempt = () => renderRecipe(resize, { channels: '2000', resizeScript: '/usr/bin/curl' }, book.defaults);
    expect(attempt).toThrow(/takes only "channels" from the operator; "resizeScript" is set by the recipe book/);
    expect(() => renderRecipe(findRecipe(book, 'start', 'switch'), { service: 'sshd' }, book.defaults)).toThrow(
      /takes no parameters from the operator/,
    );
  });

  it('the load probe template has no placeholders to fill', () => {
    expect(renderCommand(book.probes.load.command, {}, book.probes.load.defaults).argv[0]).toBe('sh');
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

describe('currentRecipeBook', () => {
  it('reads the override again when it changes, keeps one frozen book while it does not, and falls back when it goes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-recipes-'));
    try {
      const file = path.join(dir, 'override.json');
      const shipped = currentRecipeBook(file);
      expect(shipped).toEqual(defaultRecipeBook());
      expect(currentRecipeBook(file)).toBe(shipped);
      expect(Object.isFrozen(shipped.probes.load)).toBe(true);
      expect(() => (shipped.probes.load.timeoutSec = 1)).toThrow(TypeError);

      const mine = structuredClone(defaultRecipeBook());
      mine.probes.load.timeoutSec = 7;
      writeFileSync(file, JSON.stringify(mine));
      const first = currentRecipeBook(file);
      expect(first.probes.load.timeoutSec).toBe(7);
      expect(currentRecipeBook(file)).toBe(first);

      mine.probes.load.timeoutSec = 9;
      writeFileSync(file, JSON.stringify(mine, null, 2));
      expect(currentRecipeBook(file).probes.load.timeoutSec).toBe(9);

      writeFileSync(file, '{');
      expect(() => currentRecipeBook(file)).toThrow(/cannot be read as JSON/);
      rmSync(file);
      expect(currentRecipeBook(file)).toBe(shipped);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
