import { z } from 'zod';
import { invalid } from '../errors';
import { installCommandProblem } from './install-command';

// What an operator may hand a recipe, and in which shape. Every other placeholder of a template
// comes from the recipe book's defaults, so a caller can never swap the program a recipe runs
// (`params.resizeScript = "/usr/bin/curl"` is refused by name before anything is rendered), and a
// value that is not the declared shape (channels "0", an install command that is shell text) is
// refused naming the field, before anything runs.

export const ParamName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a parameter name (letters, digits, _)');

export const ParamShape = z.enum(['channels', 'install-command']);
export type ParamShape = z.infer<typeof ParamShape>;

export const OperatorParam = z.strictObject({
  /** How the dialog and messages name it ("New channel count", "Install command"). */
  label: z.string().trim().min(1).max(80),
  shape: ParamShape,
});
export type OperatorParam = z.infer<typeof OperatorParam>;

export const OperatorParams = z.record(ParamName, OperatorParam).default({});
export type OperatorParams = z.infer<typeof OperatorParams>;

/** The most channels a server may be given (the inventory's own limit). */
export const MAX_CHANNELS = 1_000_000;

/** Why `value` is not of `shape`, in words naming `label`; null when it is. */
export function shapeProblem(shape: ParamShape, label: string, value: string): string | null {
  switch (shape) {
    case 'channels': {
      const text = value.trim();
      if (!/^[0-9]+$/.test(text)) return `${label} must be a whole number of channels, at least 1; "${short(value)}" is not.`;
      const n = Number(text);
      if (n < 1) return `${label} must be at least 1 channel; ${n} would leave the server no calls at all.`;
      if (n > MAX_CHANNELS)
        return `${label} must be at most ${MAX_CHANNELS.toLocaleString('en-US')} channels, not ${n.toLocaleString('en-US')}.`;
      return null;
    }
    case 'install-command':
      return installCommandProblem(value, label);
  }
}

/** The value as the recipe will use it (trimmed, channels without leading zeros). */
export function normalizeParam(shape: ParamShape, value: string): string {
  return shape === 'channels' ? String(Number(value.trim())) : value.trim();
}

/**
 * Checks a caller's parameters against what the recipe declares: an undeclared name is refused
 * (naming what may be given), a declared one must have its shape. `where` names the servers in
 * the message ("Resize Capacity on sw-1 (10.0.0.1)").
 */
export function checkOperatorParams(
  declared: OperatorParams,
  params: Readonly<Record<string, string | number>>,
  where: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(params)) {
    const param = declared[name];
    if (!param) {
      const allowed = Object.keys(declared);
      throw invalid(
        `params.${name}`,
        `${where} takes ${allowed.length === 0 ? 'no parameters' : `only ${allowed.map((n) => `"${n}"`).join(', ')}`} from the operator; "${name}" is set by the recipe book and cannot be replaced from here.`,
      );
    }
    const value = String(raw);
    const problem = shapeProblem(param.shape, param.label, value);
    if (problem !== null) throw invalid(`params.${name}`, `${where}: ${problem}`);
    out[name] = normalizeParam(param.shape, value);
  }
  return out;
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
