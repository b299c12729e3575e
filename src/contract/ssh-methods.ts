import { z } from 'zod';
import { command, query, withRole } from './spec';

// The operator's answer to an SSH host key that is not on file yet. Any service that connects
// (tools, actions, load polls) asks through the same broker; the UI shows one dialog for all.

export const HostKeyPrompt = z.object({
  promptId: z.string(),
  host: z.string(),
  port: z.number().int(),
  keyType: z.string(),
  /** SHA256:… as `ssh-keygen -l` prints it. */
  fingerprint: z.string(),
});
export type HostKeyPrompt = z.infer<typeof HostKeyPrompt>;

export const HostKeySettled = z.object({
  promptId: z.string(),
  /** 'timeout' when nobody answered in time (the key was refused). */
  outcome: z.enum(['accepted', 'refused', 'timeout']),
});

export const sshMethods = {
  /** Accepting files the key in Switchyard's own known_hosts; `answered` is false for an expired prompt. */
  'ssh:answer-host-key': withRole(
    'operator',
    command(z.strictObject({ promptId: z.string().min(1).max(64), accept: z.boolean() }), z.object({ answered: z.boolean() })),
  ),
  /** Prompts still waiting, for a window opened (or reloaded) while a connection waits. */
  'ssh:list-host-key-prompts': query(z.strictObject({}), z.array(HostKeyPrompt)),
};
