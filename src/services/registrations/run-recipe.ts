import type { StoredServer } from '../store/servers-repo';
import { DomainError, invalid } from '../../domain/errors';
import { UlDumpError } from '../../domain/registrations/ul-dump';
import { renderCommand, type RecipeBook } from '../../domain/ssh/recipe';
import type { ServerExec } from '../ssh/server-exec';

// Runs the recipe book's `registrations` command on one server and hands back its output, or
// refuses in words naming the server and what to fix. Shared by the full read and the lookup.

export interface RecipeRun {
  stdout: string;
  /** The command line that was run, for the operator to repeat by hand. */
  line: string;
  where: string;
}

export function registrationsRecipe(book: RecipeBook) {
  const recipe = book.registrations;
  if (!recipe)
    throw invalid(
      'recipes.registrations',
      'The recipe book has no "registrations" command, so Switchyard does not know how to read user locations.',
    );
  return recipe;
}

export async function runRegistrationsRecipe(
  exec: ServerExec,
  server: StoredServer,
  book: RecipeBook,
  params: Record<string, string>,
): Promise<RecipeRun> {
  const recipe = registrationsRecipe(book);
  const { argv, line } = renderCommand(recipe.command, params, recipe.defaults, recipe.label);
  const where = `${server.alias} (${server.ip})`;
  const result = await exec(server, argv, { timeoutMs: recipe.timeoutSec * 1000 });
  if (result.failure) throw new DomainError('internal', `Reading registrations on ${where} did not finish (${result.failure}).`);
  if (result.code === 127) {
    throw new DomainError(
      'internal',
      `kamcmd is not installed on ${where}, or not where the registrations recipe looks (${lastLine(result.stderr) || 'exit 127'}): set its "kamcmd" default to kamcmd's full path.`,
    );
  }
  if (result.code !== 0) {
    const why = lastLine(result.stderr) || lastLine(result.stdout);
    const ctl = /connect|No such file|Connection refused/i.test(why)
      ? ' kamcmd could not reach Kamailio\'s control socket: is Kamailio running with the ctl module, on the socket the recipe\'s "ctl" default names?'
      : '';
    throw new DomainError(
      'internal',
      `"${line}" failed on ${where} with exit ${result.code ?? result.signal ?? '?'}${why ? `: ${why}` : ''}.${ctl}`,
    );
  }
  return { stdout: result.stdout, line, where };
}

/** A parse failure said with the server and the command, never as "0 registrations". */
export function unreadable(run: RecipeRun, error: unknown): never {
  if (error instanceof UlDumpError)
    throw new DomainError('internal', `The output of "${run.line}" on ${run.where} cannot be read: ${error.message}`);
  throw error;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
