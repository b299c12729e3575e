import { describe, expect, it } from 'vitest';
import { GO_KEYS, isPlainScreen, SCREENS, screenHref, screenOfRoute } from './screens';

describe('screens: one list', () => {
  it('gives each screen a unique id, `g` key, label and icon', () => {
    for (const field of ['id', 'key', 'label', 'title', 'icon'] as const) {
      const values = SCREENS.map((s) => s[field]);
      expect(new Set(values).size, `duplicate ${field}`).toBe(values.length);
    }
  });

  it('keeps `g` keys off the other single-key shortcuts it would shadow after g', () => {
    // `g` itself would restart the chord; every key is one lowercase letter.
    for (const s of SCREENS) expect(s.key).toMatch(/^[a-z]$/);
    expect(SCREENS.map((s): string => s.key)).not.toContain('g');
  });

  it('derives the `g` shortcuts and addresses from the list', () => {
    expect(Object.keys(GO_KEYS)).toHaveLength(SCREENS.length);
    expect(GO_KEYS['f']).toBe('#/fleet');
    expect(GO_KEYS['r']).toBe('#/rtp');
    expect(screenHref('apiban')).toBe('#/apiban');
  });

  it('tells plain screens from those with a part after the name and from anything else', () => {
    expect(isPlainScreen('zones')).toBe(true);
    expect(isPlainScreen('fleet')).toBe(true);
    expect(isPlainScreen('actions')).toBe(false);
    expect(isPlainScreen('alerts')).toBe(false);
    expect(isPlainScreen('servers')).toBe(false);
    expect(isPlainScreen('constructor')).toBe(false);
    expect(isPlainScreen(undefined)).toBe(false);
  });

  it('places a server page under Fleet', () => {
    expect(screenOfRoute('server')?.id).toBe('fleet');
    expect(screenOfRoute('new-server')?.id).toBe('fleet');
    expect(screenOfRoute('tools')?.id).toBe('tools');
    expect(screenOfRoute('not-found')).toBeNull();
  });

  it('draws RTP and Tools with different shapes', () => {
    const icon = (id: string) => SCREENS.find((s) => s.id === id)?.icon;
    expect(icon('rtp')).not.toBe(icon('tools'));
    // Tools is a closed terminal frame; RTP an open waveform.
    expect(icon('tools')).toMatch(/z/);
    expect(icon('rtp')).not.toMatch(/z/);
  });
});
