import { z } from 'zod';
import { isMethodName, methods, type MethodName, type OutputOf, type ParsedInputOf } from '../contract/methods';
import type { CallError, Result } from '../contract/result';
import { allowedOnReadOnlyHost, roleNeeded, type MethodSpec } from '../contract/spec';
import { roleAtLeast } from '../contract/roles';
import { roleRefusal } from './role-refusal';
import { DomainError } from '../domain/errors';
import { errorMessage } from '../domain/error-message';
import { expectedWords, fieldLabel } from '../domain/field-label';
import { LOCAL_CALLER, runAs, type Caller } from './caller';

/** One handler per contract method; the type makes a missing one a compile error. */
export type Handlers = { [M in MethodName]: (input: ParsedInputOf<M>) => OutputOf<M> | Promise<OutputOf<M>> };

export interface DispatchOptions {
  /** Refuse every method the contract marks as mutating, with this reason (a snapshot on show). */
  readOnlyReason: () => string | null;
  /**
   * A read-only host (`--read-only`): refuse, with this reason, every method that mutates or has
   * any effect the contract declares (a file written, a process, a connection, a shared view).
   */
  hostReadOnlyReason?: () => string | null;
  /** Where unexpected failures are reported (never shown raw to the UI). */
  onInternalError?: (method: string, error: unknown) => void;
}

/** `caller` is who makes the call (the local user when absent); handlers read it with `currentCaller()`. */
export type Dispatch = (method: unknown, input: unknown, caller?: Caller) => Promise<Result<unknown>>;

/**
 * The single entry of every call, whatever the transport: the renderer is not trusted, so the
 * method name is checked against the contract, the input parsed by its schema (unknown fields,
 * wrong types and oversized values refused), and mutating calls refused in read-only mode —
 * all before any service sees the call.
 */
export function createDispatch(handlers: Handlers, options: DispatchOptions): Dispatch {
  for (const name of Object.keys(methods)) {
    if (typeof (handlers as Record<string, unknown>)[name] !== 'function') {
      throw new Error(`No handler for contract method ${name}`);
    }
  }
  return async (method, input, caller = LOCAL_CALLER) => {
    if (!isMethodName(method)) {
      return fail({ code: 'unknown-method', message: `Unknown method ${describe(method)}.` });
    }
    const spec: MethodSpec = methods[method];
    // Who may call it, before anything else is looked at: a refused caller learns nothing of the input's rules.
    if (!roleAtLeast(caller.role, roleNeeded(spec))) return fail(roleRefusal(method, caller.role, roleNeeded(spec)));
    const hostReason = options.hostReadOnlyReason?.() ?? null;
    if (hostReason !== null && !allowedOnReadOnlyHost(spec)) return fail({ code: 'read-only', message: hostReason });
    if (spec.mutates) {
      const reason = options.readOnlyReason();
      if (reason !== null) return fail({ code: 'read-only', message: reason });
    }
    const parsed = parseInput(spec, input);
    if (!parsed.success) return fail(parsed.error instanceof z.ZodError ? zodError(parsed.error) : parsed.error);
    // Effects that depend on the input are judged on the parsed input.
    if (hostReason !== null && !allowedOnReadOnlyHost(spec, parsed.data)) return fail({ code: 'read-only', message: hostReason });
    const needed = roleNeeded(spec, parsed.data);
    if (!roleAtLeast(caller.role, needed)) return fail(roleRefusal(method, caller.role, needed));
    try {
      const handler = handlers[method] as (input: unknown) => unknown;
      const data: unknown = await runAs(caller, () => handler(parsed.data));
      return { ok: true, data };
    } catch (error) {
      if (error instanceof DomainError) {
        return fail({
          code: error.code,
          message: error.message,
          ...(error.field === undefined ? {} : { field: error.field }),
          ...(error.row === undefined ? {} : { row: error.row }),
          ...(error.issues === undefined ? {} : { issues: error.issues }),
        });
      }
      options.onInternalError?.(method, error);
      return fail({ code: 'internal', message: `Switchyard could not complete ${method}: ${messageOf(error)}` });
    }
  };
}

/**
 * The input parsed by the method's schema. A schema can throw instead of refusing on a value no
 * transport sends but an in-process caller can (an object without a prototype where a string
 * belongs: its checks compare the object's length): that is a refusal too, never a thrown call.
 */
export function parseInput(
  spec: MethodSpec,
  input: unknown,
): { success: true; data: unknown } | { success: false; error: z.ZodError | CallError } {
  try {
    return spec.input.safeParse(input === undefined ? {} : input);
  } catch {
    return {
      success: false,
      error: { code: 'invalid-input', message: 'The input could not be read: it holds a value of no known shape.', field: 'input' },
    };
  }
}

function fail(error: CallError): Result<never> {
  return { ok: false, error };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : `of type ${typeof value}`;
}

function messageOf(error: unknown): string {
  return errorMessage(error);
}

/** Turns schema failures into the envelope: the first field as headline, every field listed. */
export function zodError(error: z.ZodError): CallError {
  const issues = error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return { field: field === '' ? 'input' : field, message: issueMessage(issue, field) };
  });
  const first = issues[0] ?? { field: 'input', message: 'The input was refused.' };
  return { code: 'invalid-input', message: first.message, field: first.field, issues };
}

/** One refusal in a person's words: the field's label (never its path), then the rule. */
function issueMessage(issue: z.core.$ZodIssue, field: string): string {
  const name = fieldLabel(field);
  if (issue.code === 'unrecognized_keys') return `${name} has unknown field(s): ${issue.keys.join(', ')}.`;
  if (issue.code === 'invalid_type') return `${name} must be ${expectedWords(issue.expected)}.`;
  return `${name} ${issue.message}`.replace(/\.?$/, '.');
}
