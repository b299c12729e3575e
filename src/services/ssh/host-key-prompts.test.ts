import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHostKeyPrompts, type HostKeyPrompt, type PromptOutcome } from './host-key-prompts';

const key = { host: '192.0.2.10', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' };

function broker(timeoutMs = 1000) {
  const shown: HostKeyPrompt[] = [];
  const settled: [string, PromptOutcome][] = [];
  let n = 0;
  const prompts = createHostKeyPrompts({
    onPrompt: (p) => shown.push(p),
    onSettled: (id, o) => settled.push([id, o]),
    timeoutMs,
    newId: () => `p${++n}`,
  });
  return { prompts, shown, settled };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('host-key prompt broker', () => {
  it('waits for the answer and says whether it was still open', async () => {
    const { prompts, shown, settled } = broker();
    const answer = prompts.ask(key);
    expect(shown).toEqual([{ promptId: 'p1', ...key }]);
    expect(prompts.pending()).toHaveLength(1);
    expect(prompts.answer('p1', true)).toBe(true);
    await expect(answer).resolves.toBe('accept');
    expect(prompts.answer('p1', false)).toBe(false);
    expect(settled).toEqual([['p1', 'accepted']]);
    expect(prompts.pending()).toEqual([]);
  });

  it('asks once for the same key seen by two connections; a different key is another prompt', async () => {
    const { prompts, shown } = broker();
    const first = prompts.ask(key);
    const second = prompts.ask({ ...key });
    void prompts.ask({ ...key, fingerprint: 'SHA256:other' });
    expect(shown.map((p) => p.promptId)).toEqual(['p1', 'p2']);
    prompts.answer('p1', false);
    await expect(Promise.all([first, second])).resolves.toEqual(['refuse', 'refuse']);
  });

  it('refuses when nobody answers in time, and on close', async () => {
    vi.useFakeTimers();
    const { prompts, settled } = broker(5000);
    const answer = prompts.ask(key);
    vi.advanceTimersByTime(5001);
    await expect(answer).resolves.toBe('refuse');
    expect(settled).toEqual([['p1', 'timeout']]);
    const later = prompts.ask(key);
    prompts.close();
    await expect(later).resolves.toBe('refuse');
    expect(settled[1]).toEqual(['p2', 'refused']);
  });
});
