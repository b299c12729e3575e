// Actions are one list (contract/action-names.ts): the recipe book's ActionKind is the contract's
// ActionName itself, and the menu, the log filter and the palette all read ACTION_MENU.
import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, ACTION_MENU, ACTION_NAMES, ActionName, EXTRA_ACTIONS } from '../../contract/action-names';
import { ActionKind } from './recipe';
import { DEFAULT_GRACE_SEC } from './maintenance-grace';

describe('actions: one list', () => {
  it('is the same schema in the contract and the recipe book', () => {
    expect(ActionKind).toBe(ActionName);
    expect(ActionName.options).toEqual([...ACTION_NAMES]);
  });

  it('offers every action once in the menu, each with a label and a maintenance grace', () => {
    expect([...ACTION_MENU].sort()).toEqual([...ACTION_NAMES].sort());
    expect(new Set(ACTION_MENU).size).toBe(ACTION_MENU.length);
    for (const action of ACTION_NAMES) {
      expect(ACTION_LABELS[action].length).toBeGreaterThan(0);
      expect(DEFAULT_GRACE_SEC[action]).toBeGreaterThan(0);
    }
    for (const extra of EXTRA_ACTIONS) expect(ACTION_NAMES).toContain(extra);
  });

  it('refuses a name not on the list', () => {
    expect(ActionName.safeParse('reboot-everything').success).toBe(false);
  });
});
