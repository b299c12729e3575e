import { DomainError } from '../../domain/errors';
import { checkTarget, describeParamsError, type ValidTarget } from '../../domain/tools';
import type { z } from 'zod';
import { missingTool, permissionDenied, saysHelperMissing, saysPermissionDenied, ToolError } from './tool-errors';
import type { ToolExit } from './tool-runner';

export type RunStatus = 'done' | 'failed' | 'cancelled';

/** What a finished run of either tool reports, beside its parsed result. */
export interface RunOutcome<Result> {
  status: RunStatus;
  argv: string[];
  target: string;
  result: Result;
  /** Everything the tool wrote to stdout, as written. */
  raw: string;
  stderr: string;
  exitCode: number | null;
  /** Why the run failed, for a person; absent when it did not. */
  error?: string;
}

/** Refuses a bad target before anything else happens: no process, local or remote, sees it. */
export function requireTarget(value: string): ValidTarget {
  const check = checkTarget(value);
  if (!check.ok) throw new DomainError('invalid-input', check.reason, { field: 'target' });
  return check.target;
}

export function requireParams<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new DomainError('invalid-input', describeParamsError(parsed.error), { field: 'params' });
  return parsed.data;
}

/**
 * Turns an exit into a ToolError when the tool never got to work: missing (127 is what a remote
 * shell says for an unknown command) or refused its raw socket. Otherwise returns null.
 */
export function toolFailure(tool: string, exit: ToolExit): ToolError | null {
  if (exit.code === 127) return missingTool(tool);
  if (exit.code === 0 || exit.code === null) return null;
  if (saysHelperMissing(exit.stderr)) return missingTool('mtr-packet');
  if (saysPermissionDenied(exit.stderr)) return permissionDenied(tool, exit.stderr);
  return null;
}

/** The first meaningful stderr line, or a plain statement of the exit code. */
export function stderrReason(tool: string, exit: ToolExit): string {
  const line = exit.stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line ? line.slice(0, 300) : `${tool} exited with code ${exit.code}`;
}
