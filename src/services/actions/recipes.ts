import { existsSync, readFileSync } from 'node:fs';
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

/**
 * The book in force: the operator's override file when it exists, the shipped one otherwise. Read at
 * each call, so an override saved while the host runs applies to the next action.
 */
export function currentRecipeBook(overrideFile: string): RecipeBook {
  return existsSync(overrideFile) ? loadRecipeBook(overrideFile) : defaultRecipeBook();
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
