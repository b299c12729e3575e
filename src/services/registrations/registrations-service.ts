import type { ServerRegistrations } from '../../contract/registrations-methods';
import { DomainError, invalid, notFound } from '../../domain/errors';
import { ownKeepalive } from '../../domain/registrations/own-keepalive';
import { registrationSharing } from '../../domain/registrations/sharing';
import { parseUlDump, UlDumpError } from '../../domain/registrations/ul-dump';
import { renderCommand, type RecipeBook } from '../../domain/ssh/recipe';
import type { ServerExec } from '../apiban/apply-bans';
import type { Store } from '../store/store';

export interface RegistrationsServiceDeps {
  store: Store;
  exec: ServerExec;
  recipes: () => RecipeBook;
  clock: () => number;
}

/** The list the UI gets; the counts are always exact. */
const MAX_CONTACTS = 5_000;

export function createRegistrationsService({ store, exec, recipes, clock }: RegistrationsServiceDeps) {
  async function forServer(serverId: string): Promise<ServerRegistrations> {
    const server = store.servers.get(serverId);
    if (!server) throw notFound('Server', serverId);
    const recipe = recipes().registrations;
    if (!recipe) throw invalid('recipes.registrations', 'The recipe book has no "registrations" command, so Switchyard does not know how to read user locations.');
    const { argv, line } = renderCommand(recipe.command, {}, recipe.defaults, recipe.label);
    const result = await exec(server, argv, { timeoutMs: recipe.timeoutSec * 1000 });
    const where = `${server.alias} (${server.ip})`;
    if (result.failure) throw new DomainError('internal', `Reading registrations on ${where} did not finish (${result.failure}).`);
    if (result.code !== 0) {
      const why = (result.stderr.trim() || result.stdout.trim()).split('\n').pop() ?? '';
      throw new DomainError('internal', `"${line}" failed on ${where} with exit ${result.code ?? result.signal ?? '?'}${why ? `: ${why}` : ''}.`);
    }
    let dump;
    try {
      dump = parseUlDump(result.stdout);
    } catch (err) {
      if (err instanceof UlDumpError) throw new DomainError('internal', `The output of "${line}" on ${where} cannot be read: ${err.message}`);
      throw err;
    }
    const readAt = clock();
    const contacts = dump.domains.flatMap((d) =>
      d.aors.flatMap((a) => a.contacts.map((c) => ({ aor: a.aor, address: c.address, expires: c.expires, userAgent: c.userAgent, received: c.received, socket: c.socket, serverId: c.serverId }))),
    );
    const fleet = store.servers.list();
    const clusters = new Map(store.clusters.list().map((c) => [c.id, c.name]));
    const sharing = registrationSharing(server, fleet, (id) => clusters.get(id) ?? id);
    return {
      serverId,
      readAt,
      command: line,
      aorCount: dump.aorCount,
      contactCount: dump.contactCount,
      domains: dump.domains.map((d) => ({ name: d.name, aors: d.aors.length, records: d.records })),
      contacts: contacts.slice(0, MAX_CONTACTS),
      truncated: contacts.length > MAX_CONTACTS,
      sharing,
      keepalive: ownKeepalive(server, dump.contactCount, sharing),
    };
  }

  return {
    forServer,
  };
}

export type RegistrationsService = ReturnType<typeof createRegistrationsService>;
