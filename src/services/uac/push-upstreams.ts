import { renderCommand } from '../../domain/ssh/recipe';
import { pushOutcome, type UacRecipes } from '../../domain/uac/uac-recipes';
import { renderUacreg, type UacregRow } from '../../domain/uac/uacreg-file';
import type { ServerExec } from '../ssh/server-exec';
import type { StoredServer } from '../store/servers-repo';
import { errorMessage } from '../../domain/error-message';

// Writes a server's upstream list into its Kamailio: the uacreg file travels on stdin (the
// passwords never on a command line, nor in the run's output), the recipe swaps it in and asks
// Kamailio to reload (`kamcmd uac.reg_reload`), and puts the previous file back when the reload is
// refused, so the file on disk always matches what Kamailio runs.

export interface PushResult {
  ok: boolean;
  error: string | null;
}

const lastLine = (text: string): string => text.trim().split('\n').pop()?.trim() ?? '';

export async function pushUpstreams(input: {
  server: StoredServer;
  rows: readonly UacregRow[];
  recipe: UacRecipes;
  exec: ServerExec;
  signal: AbortSignal;
  output: (chunk: string) => void;
}): Promise<PushResult> {
  const { server, rows, recipe, output } = input;
  const where = `${server.alias} (${server.ip})`;
  const { argv } = renderCommand(recipe.push.command, {}, { ...recipe.defaults, ...recipe.push.defaults }, recipe.push.label);
  const names = rows.map((r) => `${r.username}@${r.registrar}`).join(', ');
  output(
    `\n--- UAC Auth: pushing ${rows.length} upstream registration${rows.length === 1 ? '' : 's'} to ${where}${rows.length > 0 ? `: ${names}` : ' (none: Kamailio stops registering upstream)'}\n`,
  );
  output(`$ ${recipe.push.label}: ${recipe.defaults.dir}/uacreg, then kamcmd uac.reg_reload (passwords sent on stdin, not shown)\n`);
  let text: string;
  try {
    text = renderUacreg(rows);
  } catch (err) {
    return { ok: false, error: `The upstream list of ${where} could not be written: ${errorMessage(err)}` };
  }
  try {
    const result = await input.exec(server, argv, {
      input: text,
      signal: input.signal,
      timeoutMs: recipe.push.timeoutSec * 1000,
      onStdout: output,
      onStderr: output,
    });
    const outcome = pushOutcome(result.stdout);
    if (outcome?.outcome === 'loaded' && result.code === 0) {
      output(`UAC Auth: Kamailio on ${where} reloaded its upstream registrations (${outcome.detail}).\n`);
      return { ok: true, error: null };
    }
    if (result.failure && !outcome)
      return {
        ok: false,
        error: `Pushing the upstream registrations to ${where} did not finish (${result.failure}); check ${recipe.defaults.dir}/uacreg there.`,
      };
    if (outcome?.outcome === 'refused') {
      return {
        ok: false,
        error: `Kamailio on ${where} refused to reload its upstream registrations (kamcmd uac.reg_reload: ${outcome.detail || 'no answer'}). The previous file was put back; Kamailio keeps the registrations it had.`,
      };
    }
    return {
      ok: false,
      error: `Pushing the upstream registrations to ${where} failed (${recipe.push.label}): ${outcome?.detail || lastLine(result.stderr) || lastLine(result.stdout) || `exit ${result.code ?? '?'}`}.`,
    };
  } catch (err) {
    return { ok: false, error: `${where}: ${errorMessage(err)}` };
  }
}
