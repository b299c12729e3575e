import { describe, expect, it } from 'vitest';
import { defaultRecipeBook } from '../../services/actions/recipes';
import { checkConfirmation, planAction, type PlanTarget } from './action-plan';
import { csvCell } from './audit-export';

const book = defaultRecipeBook();
const server = (n: number, over: Partial<PlanTarget> = {}): PlanTarget => ({ id: `s${n}`, alias: `sw-${n}`, ip: `192.0.2.${n}`, type: 'switch', updatePending: false, activeChannels: null, ...over });

describe('planAction', () => {
  it('asks for the count typed back only for a destructive action on more than one server', () => {
    expect(planAction(book, 'restart', [server(1)], {})).toMatchObject({ confirm: 'simple', confirmText: null });
    expect(planAction(book, 'restart', [server(1), server(2), server(3)], {})).toMatchObject({ confirm: 'typed', confirmText: '3' });
    expect(planAction(book, 'start', [server(1), server(2)], {})).toMatchObject({ confirm: 'simple' });
  });

  it('refuses Run Server Update on a server with no pending update, naming it', () => {
    expect(() => planAction(book, 'update', [server(1, { updatePending: true }), server(2)], {})).toThrow(/sw-2 \(192\.0\.2\.2\) has none/);
    const busy = planAction(book, 'update', [server(1, { updatePending: true, activeChannels: 12 })], {});
    expect(busy.warnings[0]).toMatch(/active calls \(12\)/);
  });

  it('warns that Resize over 1,000 channels reboots, and not at 1,000', () => {
    expect(planAction(book, 'resize', [server(1)], { channels: '1001' }).warnings.join()).toMatch(/reboots the server/);
    expect(planAction(book, 'resize', [server(1)], { channels: '1000' }).warnings).toEqual([]);
  });

  it('refuses Power Cycle without an out-of-band command', () => {
    expect(() => planAction(book, 'power-cycle', [server(1)], {})).toThrow(/out-of-band command/);
  });
});

describe('checkConfirmation', () => {
  const plan = planAction(book, 'stop', [server(1), server(2)], {});
  it('accepts the count, with spaces around it', () => expect(() => checkConfirmation(plan, ' 2 ')).not.toThrow());
  it.each([undefined, '', '3', 'two', '2 servers'])('refuses %j', (typed) => expect(() => checkConfirmation(plan, typed)).toThrow(/type 2/));
});

describe('csvCell', () => {
  it('quotes separators and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvCell('=cmd()')).toBe("'=cmd()");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
});
