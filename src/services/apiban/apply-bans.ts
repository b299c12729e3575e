import type { ApibanApplied, ApibanMethod } from '../../contract/apiban-methods';
import { describeDrops, filterBans, type Protection } from '../../domain/apiban/ban-filter';
import { invalid, notFound } from '../../domain/errors';
import { isIpv6 } from '../../domain/fleet/ip';
import { appliedEntries } from '../../domain/ssh/platform-recipes';
import { renderCommand, type RecipeBook } from '../../domain/ssh/recipe';
import type { ServerExec } from '../ssh/server-exec';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';
import { mapLimited } from '../shared/map-limited';
import { errorMessage } from '../../domain/error-message';

export type { ServerExec };

/** How many servers get the list at the same time. */
const CONCURRENCY = 8;

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/**
 * Sends the list to each server through the book's APIBAN recipe (addresses on stdin), reads the
 * set's size back, and records the outcome per server. A server that fails does not stop the rest.
 * The list is filtered once more on the way out: a server or RTP server added, or an allow-list
 * entry made, since the addresses were stored is never sent.
 */
export async function applyBans(input: {
  store: Store;
  exec: ServerExec;
  clock: () => number;
  book: RecipeBook;
  serverIds: string[];
  method: ApibanMethod | undefined;
  ips: string[];
  protection: Protection;
}): Promise<ApibanApplied[]> {
  const recipes = input.book.apiban;
  if (!recipes)
    throw invalid(
      'recipes.apiban',
      'The recipe book has no "apiban" entry, so Switchyard does not know how to apply the list on a server.',
    );
  const method = input.method ?? recipes.default;
  const recipe = recipes[method];
  const servers = input.serverIds.map((id) => {
    const server = input.store.servers.get(id);
    if (!server) throw notFound('Server', id);
    return server;
  });
  const { argv } = renderCommand(recipe.command, {}, recipe.defaults, recipe.label);
  const { kept, dropped } = filterBans(input.ips, input.protection);
  const held = describeDrops(dropped);
  // The sets are IPv4 (hash:ip family inet, ipv4_addr); IPv6 addresses are left out and said so.
  const v4 = kept.filter((ip) => !isIpv6(ip));
  const skipped = kept.length - v4.length;
  const stdin = v4.length === 0 ? '' : `${v4.join('\n')}\n`;

  const one = async (server: StoredServer): Promise<ApibanApplied> => {
    let ok = false;
    let entries: number | null = null;
    let message: string;
    try {
      const result = await input.exec(server, argv, { input: stdin, timeoutMs: recipe.timeoutSec * 1000 });
      entries = appliedEntries(result.stdout);
      ok = result.code === 0 && result.failure === null && entries !== null;
      if (ok)
        message = `${entries} entries in the ${method} set (${v4.length} sent${skipped ? `, ${skipped} IPv6 left out` : ''}${held ? `; held back: ${held}` : ''}).`;
      else if (result.failure) message = `The command did not finish (${result.failure}).`;
      else if (result.code !== 0)
        message = `The command failed with exit ${result.code ?? result.signal ?? '?'}: ${lastLine(result.stderr) || lastLine(result.stdout) || 'no output'}`;
      else message = 'The command ran but did not print "entries=N"; check the apiban recipe.';
    } catch (err) {
      message = errorMessage(err);
    }
    const record: ApibanApplied = { serverId: server.id, method, entries, ok, message, appliedAt: input.clock() };
    input.store.apiban.recordApplied(record);
    return record;
  };

  return mapLimited(servers, CONCURRENCY, (server) => one(server));
}
