import type { z } from 'zod';
import { DomainError } from '../errors';

/** The first problem of a record, phrased for a person: where in the file, which field, why. */
export function recordError(where: string, row: number, error: z.ZodError, fieldName: (path: string) => string = (p) => p): DomainError {
  const issue = error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  const field = fieldName(path);
  let why = issue?.message ?? 'is not valid';
  if (issue?.code === 'unrecognized_keys') why = `has unknown field(s) ${issue.keys.join(', ')}`;
  else if (issue?.code === 'invalid_type') why = issue.expected === 'int' ? 'must be a whole number' : `must be ${issue.expected}`;
  else if (issue?.code === 'invalid_value' && 'values' in issue) why = `must be one of ${issue.values.map(String).join(', ')}`;
  const message = `${where}: ${field === '' ? 'the record' : field} ${why.replace(/\.$/, '')}. Nothing was imported.`;
  return new DomainError('invalid-input', message, { row, ...(field === '' ? {} : { field }) });
}
