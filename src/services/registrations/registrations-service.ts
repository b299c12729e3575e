import type { RegisteredContact, RegistrationLookup, ServerRegistrations } from '../../contract/registrations-methods';
import { notFound } from '../../domain/errors';
import { contactKeepalive, keepaliveHealth, lastRound } from '../../domain/registrations/contact-keepalive';
import { ownKeepalive } from '../../domain/registrations/own-keepalive';
import { registrationSharing } from '../../domain/registrations/sharing';
import { parseUlDump, parseUlLookup, type UlContact, type UlDump } from '../../domain/registrations/ul-dump';
import { templateParams, type RecipeBook } from '../../domain/ssh/recipe';
import type { ServerExec } from '../ssh/server-exec';
import type { Store } from '../store/store';
import { registrationsRecipe, runRegistrationsRecipe, unreadable, type RecipeRun } from './run-recipe';

export interface RegistrationsServiceDeps {
  store: Store;
  exec: ServerExec;
  recipes: () => RecipeBook;
  clock: () => number;
}

/** The list the UI gets; the counts are always exact. */
const MAX_CONTACTS = 5_000;

const contactOf = (aor: string, c: UlContact, round: number | null, now: number | null): RegisteredContact => ({
  aor,
  address: c.address,
  expires: c.expires,
  userAgent: c.userAgent,
  received: c.received,
  socket: c.socket,
  serverId: c.serverId,
  keepalive: contactKeepalive(c, round, now),
});

export function createRegistrationsService({ store, exec, recipes, clock }: RegistrationsServiceDeps) {
  function serverOf(serverId: string) {
    const server = store.servers.get(serverId);
    if (!server) throw notFound('Server', serverId);
    return server;
  }

  async function readDump(serverId: string): Promise<{ run: RecipeRun; dump: UlDump }> {
    const server = serverOf(serverId);
    const run = await runRegistrationsRecipe(exec, server, recipes(), {});
    try {
      return { run, dump: parseUlDump(run.stdout) };
    } catch (error) {
      return unreadable(run, error);
    }
  }

  async function forServer(serverId: string): Promise<ServerRegistrations> {
    const { run, dump } = await readDump(serverId);
    const server = serverOf(serverId);
    const readAt = clock();
    const all = dump.domains.flatMap((d) => d.aors.flatMap((a) => a.contacts.map((c) => ({ aor: a.aor, c }))));
    const round = lastRound(all.map((x) => x.c));
    const contacts = all.map(({ aor, c }) => contactOf(aor, c, round, dump.serverTime));
    const fleet = store.servers.list();
    const clusters = new Map(store.clusters.list().map((c) => [c.id, c.name]));
    const sharing = registrationSharing(server, fleet, (id) => clusters.get(id) ?? id);
    return {
      serverId,
      readAt,
      command: run.line,
      aorCount: dump.aorCount,
      contactCount: dump.contactCount,
      domains: dump.domains.map((d) => ({ name: d.name, aors: d.aors.length, records: d.records })),
      // Silent contacts first: they are what an engineer opens this view for at 3 a.m.
      contacts: [
        ...contacts.filter((c) => c.keepalive.state === 'silent'),
        ...contacts.filter((c) => c.keepalive.state !== 'silent'),
      ].slice(0, MAX_CONTACTS),
      truncated: contacts.length > MAX_CONTACTS,
      sharing,
      keepalive: ownKeepalive(server, dump.contactCount, sharing),
      keepaliveHealth: keepaliveHealth(
        contacts.map((c) => c.keepalive),
        round,
        dump.serverTime,
      ),
      serverClock: dump.serverTime !== null,
    };
  }

  /**
   * One user's contacts. The shipped recipe asks the server (`ul.lookup`, with the server's last
   * keepalive round computed there); a recipe without a `user` parameter (an older override) still
   * answers, by reading the whole table and keeping that user's AoR.
   */
  async function lookup(serverId: string, user: string): Promise<RegistrationLookup> {
    const server = serverOf(serverId);
    const book = recipes();
    if (!templateParams(registrationsRecipe(book).command).includes('user')) {
      const { run, dump } = await readDump(serverId);
      const all = dump.domains.flatMap((d) => d.aors.flatMap((a) => a.contacts));
      const round = lastRound(all);
      const aor = dump.domains.flatMap((d) => d.aors).find((a) => a.aor === user) ?? null;
      return answer(serverId, user, run, aor?.aor ?? null, aor?.contacts ?? [], round, dump.serverTime, 'dump');
    }
    const run = await runRegistrationsRecipe(exec, server, book, { user });
    let found;
    try {
      found = parseUlLookup(run.stdout);
    } catch (error) {
      return unreadable(run, error);
    }
    return answer(serverId, user, run, found.aor, found.contacts, found.lastRound, found.serverTime, 'lookup');
  }

  function answer(
    serverId: string,
    user: string,
    run: RecipeRun,
    aor: string | null,
    found: UlContact[],
    round: number | null,
    now: number | null,
    via: RegistrationLookup['via'],
  ): RegistrationLookup {
    const contacts = found.map((c) => contactOf(aor ?? user, c, round, now));
    return {
      serverId,
      user,
      readAt: clock(),
      command: run.line,
      aor,
      contacts,
      keepaliveHealth: keepaliveHealth(
        contacts.map((c) => c.keepalive),
        round,
        now,
      ),
      serverClock: now !== null,
      via,
    };
  }

  return {
    forServer,
    lookup,
  };
}

export type RegistrationsService = ReturnType<typeof createRegistrationsService>;
