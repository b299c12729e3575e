import { randomUUID } from 'node:crypto';
import type { UacStatus, UacUpstreamInput, UacView } from '../../contract/uac-methods';
import { DomainError, invalid, notFound } from '../../domain/errors';
import { RpcErrorAnswer, RpcTextError } from '../../domain/kamailio/rpc-tree';
import { renderCommand, type RecipeBook } from '../../domain/ssh/recipe';
import { parseUacRegDump } from '../../domain/uac/reg-dump';
import { uacStates } from '../../domain/uac/reg-state';
import { checkUpstreams } from '../../domain/uac/upstream';
import type { UacRecipes } from '../../domain/uac/uac-recipes';
import type { ServerExec } from '../ssh/server-exec';
import type { SecretStore } from '../secrets/secret-store';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';
import { pushUpstreams, type PushResult } from './push-upstreams';
import { errorMessage } from '../../domain/error-message';

// UAC Auth's upstream registrations: the list per server in SQLite, each password in the secret
// store only, pushed into the server's Kamailio by Install Server (see push-upstreams.ts), and the
// live state read with `kamcmd uac.reg_dump` on demand and at each load poll, kept for the advisor.

export const uacPasswordKey = (upstreamId: string): string => `uac-password:${upstreamId}`;

export interface UacServiceDeps {
  store: Store;
  secrets: SecretStore;
  exec: ServerExec;
  recipes: () => RecipeBook;
  clock: () => number;
  /** The fleet changed (the server is now "install recommended"). */
  onChange?: (serverId: string) => void;
}

const where = (s: StoredServer): string => `${s.alias} (${s.ip})`;
const lastLine = (text: string): string => text.trim().split('\n').pop()?.trim() ?? '';

export function createUacService(deps: UacServiceDeps) {
  const { store, secrets } = deps;
  const server = (id: string): StoredServer => {
    const found = store.servers.get(id);
    if (!found) throw notFound('Server', id);
    return found;
  };
  const recipe = (): UacRecipes => {
    const book = deps.recipes().uac;
    if (!book)
      throw invalid(
        'recipes.uac',
        'The recipe book has no "uac" entry, so Switchyard does not know how to reach Kamailio\'s uac module on the servers.',
      );
    return book;
  };
  const dumpCommand = (r: UacRecipes) => renderCommand(r.dump.command, {}, { ...r.defaults, ...r.dump.defaults }, r.dump.label);

  const emptyStatus = (serverId: string): UacStatus => ({
    serverId,
    readAt: null,
    command: '',
    upstreams: [],
    unmanaged: [],
    error: null,
    errorAt: null,
  });
  const view = (serverId: string): UacView => {
    const s = server(serverId);
    return {
      serverId,
      uacAuth: s.config.uacAuth,
      upstreams: store.uac.upstreams(serverId).map((u) => ({
        id: u.id,
        registrar: u.registrar,
        username: u.username,
        expiry: u.expiry,
        passwordSet: secrets.get(uacPasswordKey(u.id)) !== null,
      })),
      storage: secrets.kind,
      status: store.uac.status(serverId) ?? emptyStatus(serverId),
    };
  };

  function setUpstreams(serverId: string, inputs: readonly UacUpstreamInput[]): UacView {
    const target = server(serverId);
    const before = store.uac.upstreams(serverId);
    const known = new Map(before.map((u) => [u.id, u]));
    inputs.forEach((u, i) => {
      if (u.id !== undefined && !known.has(u.id))
        throw invalid(
          `upstreams.${i}.id`,
          `UAC upstreams of ${where(target)}: upstream ${i + 1} (${u.id}) is not one of this server's (it may have been removed meanwhile). Nothing was saved.`,
        );
    });
    if (new Set(inputs.flatMap((u) => (u.id === undefined ? [] : [u.id]))).size !== inputs.filter((u) => u.id !== undefined).length) {
      throw invalid('upstreams', `UAC upstreams of ${where(target)}: the same upstream is listed twice. Nothing was saved.`);
    }
    checkUpstreams(
      inputs.map((u) => ({
        registrar: u.registrar,
        username: u.username,
        expiry: u.expiry,
        password: u.password,
        passwordKnown: u.id !== undefined && secrets.get(uacPasswordKey(u.id)) !== null,
      })),
      where(target),
    );
    const next = inputs.map((u) => ({
      id: u.id ?? randomUUID(),
      registrar: u.registrar.trim(),
      username: u.username.trim(),
      expiry: u.expiry,
      password: u.password,
    }));
    const removed = before.filter((b) => !next.some((n) => n.id === b.id));
    // All or nothing: passwords first (remembering what they replace), then SQLite in one
    // transaction; a failed write puts the previous passwords back.
    const previous = new Map(next.filter((n) => n.password !== undefined).map((n) => [n.id, secrets.get(uacPasswordKey(n.id))]));
    try {
      for (const n of next) if (n.password !== undefined) secrets.set(uacPasswordKey(n.id), n.password);
      const now = deps.clock();
      store.transaction(() => {
        store.uac.replaceUpstreams(serverId, next, now);
        // The server runs what Install pushed last: the change reaches it with the next Install.
        const current = store.servers.get(serverId);
        if (current && !current.installRecommended) store.servers.update({ ...current, installRecommended: true, updatedAt: now });
      });
    } catch (err) {
      for (const [id, value] of previous) {
        if (value === null) secrets.delete(uacPasswordKey(id));
        else secrets.set(uacPasswordKey(id), value);
      }
      throw err;
    }
    for (const r of removed) secrets.delete(uacPasswordKey(r.id));
    deps.onChange?.(serverId);
    return view(serverId);
  }

  async function readStatus(serverId: string): Promise<UacView> {
    const target = server(serverId);
    const r = recipe();
    const { argv, line } = dumpCommand(r);
    let error: string | null = null;
    let states: ReturnType<typeof uacStates> | null = null;
    try {
      const result = await deps.exec(target, argv, { timeoutMs: r.dump.timeoutSec * 1000 });
      if (result.failure) error = `Reading the upstream registrations of ${where(target)} did not finish (${result.failure}).`;
      else if (result.code !== 0)
        error = `"${r.dump.label}" failed on ${where(target)} with exit ${result.code ?? result.signal ?? '?'}: ${lastLine(result.stdout) || lastLine(result.stderr) || 'no output'}.`;
      else states = uacStates(store.uac.upstreams(serverId), parseUacRegDump(result.stdout));
    } catch (err) {
      if (err instanceof RpcErrorAnswer) {
        error = /not found/.test(err.text)
          ? `Kamailio on ${where(target)} has no uac module loaded (kamcmd: ${err.message}): load uac with reg_db_url to use UAC Auth.`
          : `Kamailio on ${where(target)} answered uac.reg_dump with an error: ${err.message}.`;
      } else if (err instanceof RpcTextError) error = `The output of uac.reg_dump on ${where(target)} cannot be read: ${err.message}`;
      else if (err instanceof DomainError) throw err;
      else error = `${where(target)} could not be reached over SSH: ${errorMessage(err)}`;
    }
    // The server may have been deleted while the command ran: then there is nothing to keep.
    if (store.servers.get(serverId) === null) throw notFound('Server', serverId);
    if (states) store.uac.saveRead(serverId, deps.clock(), line, states);
    else store.uac.saveFailure(serverId, deps.clock(), line, error ?? 'unknown failure');
    return view(serverId);
  }

  /** Install Server's last step on one server: its upstream list into Kamailio. */
  async function push(target: StoredServer, options: { signal: AbortSignal; output: (chunk: string) => void }): Promise<PushResult> {
    const current = store.servers.get(target.id) ?? target;
    const upstreams = store.uac.upstreams(target.id);
    if (!current.config.uacAuth) {
      if (upstreams.length > 0)
        options.output(`\nUAC Auth is off on ${where(current)}: its ${upstreams.length} upstream registration(s) were not pushed.\n`);
      return { ok: true, error: null };
    }
    // Nothing to push, and nothing pushed before that would need taking back: leave Kamailio alone.
    if (upstreams.length === 0 && (store.uac.lastPush(target.id)?.count ?? 0) === 0) return { ok: true, error: null };
    let r: UacRecipes;
    try {
      r = recipe();
    } catch (err) {
      return { ok: false, error: errorMessage(err) };
    }
    const rows = [];
    for (const [i, u] of upstreams.entries()) {
      const password = secrets.get(uacPasswordKey(u.id));
      if (password === null) {
        return {
          ok: false,
          error: `Install ran, but the upstream registrations were not pushed to ${where(current)}: upstream ${i + 1} (${u.username} at ${u.registrar}) has no password in this console's secret store (field upstreams.${i}.password). Nothing was changed in Kamailio.`,
        };
      }
      rows.push({ id: u.id, registrar: u.registrar, username: u.username, expiry: u.expiry, password });
    }
    const result = await pushUpstreams({
      server: current,
      rows,
      recipe: r,
      exec: deps.exec,
      signal: options.signal,
      output: options.output,
    });
    if (result.ok && store.servers.get(target.id) !== null) store.uac.recordPush(target.id, deps.clock(), rows.length);
    return result;
  }

  /** What Install Server will do with the upstreams of this server, for its dialog. */
  function installNote(target: StoredServer): string | null {
    const current = store.servers.get(target.id) ?? target;
    const upstreams = store.uac.upstreams(target.id);
    if (!current.config.uacAuth || (upstreams.length === 0 && (store.uac.lastPush(target.id)?.count ?? 0) === 0)) return null;
    const missing = upstreams.filter((u) => secrets.get(uacPasswordKey(u.id)) === null).length;
    const what =
      upstreams.length === 0
        ? 'an empty upstream list (the last upstream was removed: the server stops registering upstream)'
        : `${upstreams.length} upstream registration${upstreams.length === 1 ? '' : 's'}`;
    const note = `${current.alias}: after the install, UAC Auth pushes ${what} into Kamailio and reloads its uac module.`;
    return missing > 0
      ? `${note} ${missing} of them ha${missing === 1 ? 's' : 've'} no password in this console's secret store: the push will be refused until it is set (Config → UAC Auth upstreams).`
      : note;
  }

  return {
    get: view,
    installNote,
    setUpstreams,
    status: readStatus,
    push,
    /** At each load poll: a server with UAC Auth on and upstreams is read; others are left alone. */
    async pollRead(serverId: string): Promise<void> {
      // The cheap questions first: most servers have no upstreams, and their record is not read.
      if (!deps.recipes().uac || store.uac.upstreams(serverId).length === 0) return;
      if (!store.servers.get(serverId)?.config.uacAuth) return;
      await readStatus(serverId);
    },
  };
}

export type UacService = ReturnType<typeof createUacService>;
