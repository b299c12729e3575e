import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { findRecipe, Recipe, RecipeBook, renderCommand, renderRecipe, resizeImpact, templateParams } from './recipe';

const recipe = (overrides: Partial<Recipe> = {}): Recipe =>
  Recipe.parse({
    action: 'restart',
    label: 'Restart Server',
    command: ['systemctl', 'restart', '--', '{service}'],
    impact: 'Calls stop.',
    confirm: 'typed',
    timeoutSec: 60,
    appliesTo: ['dispatcher', 'switch'],
    ...overrides,
  });

describe('renderCommand', () => {
  it('substitutes placeholders inside argv elements and quotes the result', () => {
    const out = renderCommand(['tool', '--channels={channels}', '{name}'], { channels: 1200, name: "a b'c" });
    expect(out.argv).toEqual(['tool', '--channels=1200', "a b'c"]);
    expect(out.line).toBe(`tool --channels=1200 'a b'\\''c'`);
  });

  it('fills from defaults when the caller leaves a parameter out', () => {
    expect(renderCommand(['systemctl', 'start', '{service}'], {}, { service: 'kamailio' }).line).toBe('systemctl start kamailio');
  });

  it('refuses a missing parameter, naming it', () => {
    expect(() => renderCommand(['{installScript}'], {}, {}, 'Install Server')).toThrow(
      /Install Server needs the parameter "installScript"/,
    );
  });

  it('refuses a parameter the template does not use, naming it and the ones it does', () => {
    const attempt = () => renderCommand(['resize', '{channels}'], { chanels: '2000' });
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(/no parameter "chanels" \(it uses "channels"\)/);
  });

  it('does not substitute inside a substituted value, and {{ }} are literal braces', () => {
    expect(renderCommand(['echo', '{a}'], { a: '{b}' }).argv).toEqual(['echo', '{b}']);
    expect(renderCommand(['printf', '{{"x":{{n}}}}'], {}).argv).toEqual(['printf', '{"x":{n}}']);
    expect(templateParams(['{{literal}}', '{real}', '{"json":1}', '${HOME}'])).toEqual(['real', 'HOME']);
  });
});

describe('renderRecipe', () => {
  it('refuses an unconfigured command with its own message', () => {
    const power = recipe({
      action: 'power-cycle',
      label: 'Power Cycle',
      command: null,
      unconfigured: 'Power Cycle needs an out-of-band command.',
    });
    expect(() => renderRecipe(power, {})).toThrow('Power Cycle needs an out-of-band command.');
  });

  it('recipe defaults win over book defaults; a caller cannot replace either', () => {
    const r = recipe({ defaults: { service: 'opensips' } });
    expect(renderRecipe(r, {}, { service: 'kamailio' }).line).toBe('systemctl restart -- opensips');
    expect(() => renderRecipe(r, { service: 'freeswitch' }, { service: 'kamailio' })).toThrow(
      /takes no parameters from the operator; "service" is set by the recipe book/,
    );
  });

  it('resize takes a whole channel count as its one operator parameter, and nothing else', () => {
    const resize = recipe({
      action: 'resize',
      label: 'Resize Capacity',
      command: ['{resizeScript}', '--channels', '{channels}'],
      params: { channels: { label: 'New channel count', shape: 'channels' } },
      defaults: { resizeScript: '/usr/local/sbin/sip-resize' },
    });
    expect(renderRecipe(resize, { channels: 1500 }).argv).toEqual(['/usr/local/sbin/sip-resize', '--channels', '1500']);
    expect(renderRecipe(resize, { channels: '0042' }).argv[2]).toBe('42');
    expect(() => renderRecipe(resize, { channels: '15; reboot' })).toThrow(/whole number/);
    expect(() => renderRecipe(resize, { channels: '0' })).toThrow(/at least 1 channel/);
    expect(() => renderRecipe(resize, { channels: '2.5' })).toThrow(/whole number/);
    expect(() => renderRecipe(resize, {})).toThrow(/needs the parameter "channels"/);
    const swap = () => renderRecipe(resize, { channels: '2000', resizeScript: '/usr/bin/curl' });
    expect(swap).toThrow(DomainError);
    expect(swap).toThrow(/"resizeScript" is set by the recipe book/);
  });

  it('an out-of-band recipe has power steps, not a command, and renders only through a plan', () => {
    const power = recipe({
      action: 'power-cycle',
      label: 'Power Cycle',
      command: null,
      outOfBand: { steps: ['cycle'], callTimeoutSec: 20, waitSec: 300, pollSec: 5 },
    });
    expect(() => renderRecipe(power, {})).toThrow(/runs out of band, not over SSH/);
    expect(Recipe.safeParse({ ...power, command: ['ipmitool'] }).success).toBe(false);
    expect(Recipe.safeParse({ ...power, outOfBand: undefined, command: ['ipmitool', 'chassis', 'power', 'cycle'] }).success).toBe(false);
    expect(Recipe.safeParse({ ...power, action: 'os-cycle', outOfBand: undefined, command: ['systemctl', 'reboot'] }).success).toBe(false);
  });

  it('the schema refuses bad recipes', () => {
    expect(Recipe.safeParse({ ...recipe(), action: 'format-disk' }).success).toBe(false);
    expect(Recipe.safeParse({ ...recipe(), params: { x: { label: 'X', shape: 'anything' } } }).success).toBe(false);
    expect(Recipe.safeParse({ ...recipe(), command: [] }).success).toBe(false);
    expect(Recipe.safeParse({ ...recipe(), guards: ['sometimes'] }).success).toBe(false);
    expect(Recipe.safeParse({ ...recipe(), extra: 1 }).success).toBe(false);
  });

  it('finds the recipe for an action and server type, or says none applies', () => {
    const book = RecipeBook.parse({
      version: 1,
      recipes: [recipe({ appliesTo: ['switch'] })],
      probes: { load: { label: 'Load', command: ['true'], timeoutSec: 5 } },
    });
    expect(findRecipe(book, 'restart', 'switch').label).toBe('Restart Server');
    expect(() => findRecipe(book, 'restart', 'dispatcher')).toThrow(/No recipe for "restart" on a dispatcher server/);
  });
});

describe('resizeImpact', () => {
  it('warns above 1000 channels that the server reboots and calls stop', () => {
    expect(resizeImpact(1000)).toEqual({ reboots: false, warning: null });
    const big = resizeImpact(1001);
    expect(big.reboots).toBe(true);
    expect(big.warning).toMatch(/reboots the server/);
    expect(big.warning).toMatch(/All calls will stop/);
    expect(big.warning).toMatch(/up to 10 minutes/);
  });
});
