// The operator's decision on a host key that is not on file. A connection asks; the broker pushes
// one prompt to the UI and waits for its answer. Nobody answering in time refuses the key, so a
// connection never hangs and never accepts a key no person has seen. Two connections to the same
// host that see the same key wait on one prompt: the operator is asked once.
import { randomUUID } from 'node:crypto';
import type { HostKeyAnswer } from './connect';
import type { PresentedHostKey } from './host-keys';

export interface HostKeyPrompt extends PresentedHostKey {
  promptId: string;
}

export type PromptOutcome = 'accepted' | 'refused' | 'timeout';

export interface HostKeyPromptsOptions {
  /** Show the prompt (the host pushes `ssh:host-key-prompt`). */
  onPrompt(prompt: HostKeyPrompt): void;
  /** The prompt is gone: answered here or elsewhere, or timed out (`ssh:host-key-settled`). */
  onSettled?(promptId: string, outcome: PromptOutcome): void;
  /** How long a connection waits for a person; two minutes by default. */
  timeoutMs?: number;
  newId?: () => string;
}

export interface HostKeyPrompts {
  /** For ConnectOptions.onUnknownHostKey. */
  ask(key: PresentedHostKey): Promise<HostKeyAnswer>;
  /** False when the prompt does not exist (already answered, or timed out). */
  answer(promptId: string, accept: boolean): boolean;
  pending(): HostKeyPrompt[];
  /** Refuses everything still waiting (the host is closing). */
  close(): void;
}

interface Waiting {
  prompt: HostKeyPrompt;
  promise: Promise<HostKeyAnswer>;
  settle(outcome: PromptOutcome): void;
}

export const HOST_KEY_PROMPT_TIMEOUT_MS = 120_000;

export function createHostKeyPrompts(options: HostKeyPromptsOptions): HostKeyPrompts {
  const timeoutMs = options.timeoutMs ?? HOST_KEY_PROMPT_TIMEOUT_MS;
  const newId = options.newId ?? randomUUID;
  const byId = new Map<string, Waiting>();
  const sameKey = (a: PresentedHostKey, b: PresentedHostKey) =>
    a.host === b.host && a.port === b.port && a.keyType === b.keyType && a.fingerprint === b.fingerprint;

  return {
    ask(key) {
      const existing = [...byId.values()].find((w) => sameKey(w.prompt, key));
      if (existing) return existing.promise;
      const prompt: HostKeyPrompt = {
        promptId: newId(),
        host: key.host,
        port: key.port,
        keyType: key.keyType,
        fingerprint: key.fingerprint,
      };
      let settle: (outcome: PromptOutcome) => void = () => undefined;
      const promise = new Promise<HostKeyAnswer>((resolve) => {
        const timer = setTimeout(() => settle('timeout'), timeoutMs);
        timer.unref();
        settle = (outcome) => {
          if (!byId.delete(prompt.promptId)) return;
          clearTimeout(timer);
          resolve(outcome === 'accepted' ? 'accept' : 'refuse');
          options.onSettled?.(prompt.promptId, outcome);
        };
      });
      byId.set(prompt.promptId, { prompt, promise, settle: (o) => settle(o) });
      options.onPrompt(prompt);
      return promise;
    },
    answer(promptId, accept) {
      const waiting = byId.get(promptId);
      if (!waiting) return false;
      waiting.settle(accept ? 'accepted' : 'refused');
      return true;
    },
    pending: () => [...byId.values()].map((w) => ({ ...w.prompt })),
    close() {
      for (const waiting of [...byId.values()]) waiting.settle('refused');
    },
  };
}
