import { describe, expect, it } from 'vitest';
import { lazy } from './lazy';

describe('lazy', () => {
  it('loads once and then hands back the value itself, not a promise', async () => {
    let loads = 0;
    const get = lazy(() => {
      loads += 1;
      return Promise.resolve({ default: 'page' });
    });
    const first = get();
    expect(first).toBeInstanceOf(Promise);
    expect(get()).toBe(first);
    expect(await first).toBe('page');
    expect(get()).toBe('page');
    expect(loads).toBe(1);
  });

  it('tries again after a failed load', async () => {
    let loads = 0;
    const get = lazy(() => {
      loads += 1;
      return loads === 1 ? Promise.reject(new Error('chunk gone')) : Promise.resolve({ default: 42 });
    });
    await expect(get()).rejects.toThrow('chunk gone');
    expect(await get()).toBe(42);
    expect(loads).toBe(2);
  });
});
