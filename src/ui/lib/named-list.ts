import type { CallError } from '../../contract/result';

/** A thing a list page names, describes, renames and deletes (a zone, a cluster). */
export interface NamedItem {
  id: string;
  name: string;
  description: string;
}

export interface NamedDraft {
  name: string;
  description: string;
}

/**
 * What differs between the create / rename / delete list pages; NamedListPage.svelte draws the
 * rest (create form, inline rename, row actions, read-only mode) once for all of them.
 */
export interface NamedListConfig<T extends NamedItem> {
  /** "zone", "cluster": used in labels, buttons and toasts. */
  noun: string;
  /** Prefix of the page's test ids: `${testid}-table`, `${testid}-count`. */
  testid: string;
  placeholder: string;
  create: (draft: NamedDraft) => Promise<T>;
  /** Renames, keeping the description as it is. */
  rename: (item: T, name: string) => Promise<unknown>;
}

/** Items sorted by name as people read them (locale order, not code points). */
export function sortedByName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}

/** Sentence case for a noun at the start of a toast ("zone" → "Zone"). */
export function capitalised(noun: string): string {
  return noun.charAt(0).toUpperCase() + noun.slice(1);
}

/**
 * The row's Rename / Delete buttons: never in read-only mode (a snapshot or a read-only host),
 * and not on the row being renamed, whose own Save / Cancel take their place.
 */
export function showsRowActions(readOnly: boolean, renamingId: string | null, id: string): boolean {
  return !readOnly && renamingId !== id;
}

/** Runs a create and turns a refusal into the error the form shows beside its fields. */
export async function createOrError<T extends NamedItem>(
  config: NamedListConfig<T>,
  draft: NamedDraft,
  toError: (e: unknown) => CallError,
): Promise<{ created: T; error: null } | { created: null; error: CallError }> {
  try {
    return { created: await config.create(draft), error: null };
  } catch (e) {
    return { created: null, error: toError(e) };
  }
}

/** Runs a rename and resolves with the message shown beside the name field, or null once saved. */
export async function renameOrError<T extends NamedItem>(
  config: NamedListConfig<T>,
  item: T,
  name: string,
  toError: (e: unknown) => { message: string },
): Promise<string | null> {
  try {
    await config.rename(item, name);
    return null;
  } catch (e) {
    return toError(e).message;
  }
}
