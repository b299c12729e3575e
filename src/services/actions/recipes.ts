import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import defaultBook from '../../../resources/recipes/default.json' with { type: 'json' };
import { invalid } from '../../domain/errors';
import { RecipeBook } from '../../domain/ssh/recipe';
import { errorMessage } from '../../domain/error-message';

// The recipe book: resources/recipes/default.json ships with Switchyard (imported, so bundlers
// carry it along); an operator's override file from settings replaces it whole and is validated
// the same way.

export function defaultRecipeBook(): RecipeBook {
  return validate(defaultBook, 'default.json');
}

export function loadRecipeBook(file: string): RecipeBook {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw invalid('recipes', `The recipe file ${path.basename(file)} cannot be read as JSON: ${errorMessage(err)}`);
  }
  return validate(json, path.basename(file));
}

/** Validated books by file, with the file's identity when read (see currentRecipeBook). */
const books = new Map<string, { identity: string; book: RecipeBook }>();
let shipped: RecipeBook | undefined;

/**
 * The book in force: the operator's override file when it exists, the shipped one otherwise.
 * Checked at each call, so an override saved while the host runs applies to the next action; but
 * read and validated again only when the file changed (its size, time or inode), since the load
 * poll asks for it for every server every 30 s (333 times a second at 10,000 servers). The book
 * handed out is frozen: one caller cannot change what the next one reads.
 */
export function currentRecipeBook(overrideFile: string): RecipeBook {
  // No override (the usual case) is an undefined here, not a thrown ENOENT: an Error and its stack
  // for every poll (333 a second at 10,000 servers, until their polls back off).
  const stat = statSync(overrideFile, { throwIfNoEntry: false });
  if (stat === undefined) {
    shipped ??= deepFreeze(defaultRecipeBook());
    return shipped;
  }
  const identity = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  const known = books.get(overrideFile);
  if (known?.identity === identity) return known.book;
  const book = deepFreeze(loadRecipeBook(overrideFile));
  books.set(overrideFile, { identity, book });
  return book;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function validate(json: unknown, name: string): RecipeBook {
  const parsed = RecipeBook.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') ?? '';
  throw invalid(
    `recipes.${where}`,
    `The recipe file ${name} is not valid at ${where || 'the top'}: ${issue?.message ?? 'unknown problem'}`,
  );
}
