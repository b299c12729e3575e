import { randomUUID } from 'node:crypto';
import type { Server, ServerDraft } from '../../contract/fleet';
import type { BalanceCheck, DeployRun, DeployState } from '../../contract/platform-methods';
import { DomainError, notFound, refuseIssues } from '../../domain/errors';
import { normalizeServerDraft, serverIssues } from '../../domain/fleet/rules';
import { deployBalance } from '../../domain/platform/deploy-balance';
import { findRecipe, renderRecipe, type RecipeBook } from '../../domain/ssh/recipe';
import { fleetContext } from '../fleet/context';
import type { SecretStore } from '../secrets/secret-store';
import { passwordSecretKey } from '../ssh/auth';
import { exec } from '../ssh/exec';
import type { SshPool } from '../ssh/pool';
import type { SshTarget } from '../ssh/ssh-target';
import type { Store } from '../store/store';
import type { DeployAudit, DeployAuditEntry } from './deploy-audit';
import { errorMessage } from '../../domain/error-message';

// Deploying a server, the reference's way: the balance must cover $20 for it plus $20 for every
// server already in the fleet; then the host is reached over SSH (an unknown host key goes to the
// operator through the prompt broker), the Install recipe runs with its output streamed, and only
// an install that exits 0 adds the server to the fleet. A failed install leaves the fleet as it was.

export interface DeployDeps {
  store: Store;
  clock: () => number;
  availableBalanceCents: () => number;
  recipes: () => RecipeBook;
  ssh: Pick<SshPool, 'acquire'>;
  secrets: SecretStore;
  /** Adds the server through the fleet service (its validation, its change event). */
  createServer: (draft: ServerDraft) => Server;
  emit: (update: { deployId: string; state: DeployState; chunk: string; serverId: string | null; error: string | null }) => void;
  /** The actions audit log, where every deployment is recorded like any other server action. */
  audit: DeployAudit;
}

export interface DeployRequest {
  draft: ServerDraft;
  password?: string | undefined;
  installParams: Record<string, string>;
}

/** Output kept per deployment; the start and the end matter most, so the middle is what goes. */
const MAX_OUTPUT = 512 * 1024;

export function createDeployService(deps: DeployDeps) {
  const runs = new Map<string, DeployRun>();

  const update = (run: DeployRun, state: DeployState, chunk = ''): void => {
    run.state = state;
    if (chunk !== '')
      run.output =
        run.output.length + chunk.length > MAX_OUTPUT
          ? `${run.output.slice(0, MAX_OUTPUT / 2)}\n…\n${(run.output + chunk).slice(-MAX_OUTPUT / 2)}`
          : run.output + chunk;
    deps.emit({ deployId: run.deployId, state, chunk, serverId: run.serverId, error: run.error });
  };

  const check = (): BalanceCheck => deployBalance(deps.availableBalanceCents(), deps.store.servers.list().length);

  async function install(
    run: DeployRun,
    draft: ServerDraft,
    target: SshTarget,
    argv: string[],
    timeoutMs: number,
    audit: DeployAuditEntry,
  ): Promise<void> {
    const finish = (state: 'done' | 'failed', error: string | null, chunk = ''): void => {
      run.error = error;
      run.endedAt = deps.clock();
      audit.end({ ok: state === 'done', exitCode: run.exitCode, error, output: run.output + chunk, serverId: run.serverId });
      const unlogged = audit.failure === null ? '' : `(This deployment could not be recorded in the actions log: ${audit.failure})\n`;
      update(run, state, chunk + unlogged);
    };
    const stream = (c: string): void => {
      update(run, 'installing', c);
      audit.output(run.output);
    };
    try {
      const lease = await deps.ssh.acquire(target);
      audit.start();
      update(run, 'installing', `$ ${argv.join(' ')}\n`);
      let result;
      try {
        result = await exec(lease.connection, argv, { timeoutMs, onStdout: stream, onStderr: stream });
      } finally {
        lease.release();
      }
      run.exitCode = result.code;
      if (result.failure !== null || result.code !== 0) {
        const why =
          result.failure === 'timeout'
            ? `did not finish within ${timeoutMs / 1000} s`
            : result.failure !== null
              ? `stopped (${result.failure})`
              : `exited with code ${result.code ?? `signal ${result.signal}`}`;
        return finish('failed', `The install ${why}; ${draft.alias} (${draft.ip}) was not added to the fleet.`);
      }
      // The fleet may have changed while the install ran (the IP taken by an import, say):
      // creating validates again, and a refusal here is reported, not thrown away.
      const server = deps.createServer(draft);
      run.serverId = server.id;
      if (target.id !== server.id) moveSecret(deps.secrets, target.id, server.id);
      finish('done', null, `\n${server.alias} (${server.ip}) joined the fleet.\n`);
    } catch (err) {
      finish('failed', `${errorMessage(err)} ${draft.alias} (${draft.ip}) was not added to the fleet.`);
    } finally {
      deps.secrets.delete(passwordSecretKey(target.id));
    }
  }

  return {
    check,

    start(request: DeployRequest): { deployId: string; balance: BalanceCheck } {
      const draft = normalizeServerDraft(request.draft);
      refuseIssues(serverIssues(draft, fleetContext(deps.store), null));
      const busy = [...runs.values()].find((r) => r.ip === draft.ip && (r.state === 'connecting' || r.state === 'installing'));
      if (busy) throw new DomainError('conflict', `${draft.ip} is already being deployed.`, { field: 'ip' });
      if (draft.ssh.auth === 'password' && request.password === undefined) {
        throw new DomainError('invalid-input', 'Password authentication needs the SSH password.', { field: 'password' });
      }
      const balance = check();
      if (!balance.ok) throw new DomainError('invalid-input', balance.message, { field: 'availableBalance' });
      const book = deps.recipes();
      const recipe = findRecipe(book, 'install', draft.type);
      // No script typed: the fleet's install command (Settings), as Install Server would run.
      const fleetCommand = deps.store.serverActions.fleetInstallCommand();
      const installParams =
        request.installParams['installScript'] === undefined && fleetCommand !== null
          ? { ...request.installParams, installScript: fleetCommand }
          : request.installParams;
      const rendered = renderRecipe(recipe, installParams, book.defaults);

      const deployId = randomUUID();
      // The SSH target carries the deployment's id until the server exists, so a password kept
      // for it cannot be mistaken for another server's.
      const target: SshTarget = {
        id: `deploy-${deployId}`,
        host: draft.ssh.host ?? draft.ip,
        port: draft.ssh.port,
        user: draft.ssh.user,
        auth: draft.ssh.auth,
        keyPath: draft.ssh.keyPath,
        jumpHost: draft.ssh.jumpHost,
      };
      if (request.password !== undefined) deps.secrets.set(passwordSecretKey(target.id), request.password);
      const run: DeployRun = {
        deployId,
        ip: draft.ip,
        alias: draft.alias,
        state: 'connecting',
        output: '',
        exitCode: null,
        serverId: null,
        error: null,
        startedAt: deps.clock(),
        endedAt: null,
      };
      runs.set(deployId, run);
      const audit = deps.audit.begin({
        deployId,
        pendingServerId: target.id,
        alias: draft.alias,
        ip: draft.ip,
        command: rendered.line,
        params: installParams,
      });
      update(run, 'connecting', `Connecting to ${target.user}@${target.host}:${target.port}…\n`);
      void install(run, draft, target, rendered.argv, recipe.timeoutSec * 1000, audit);
      return { deployId, balance };
    },

    /** The deployments still going, as the operator would name them. */
    running: (): string[] =>
      [...runs.values()].filter((r) => r.state === 'connecting' || r.state === 'installing').map((r) => `deploy of ${r.alias} (${r.ip})`),

    status(deployId: string): DeployRun {
      const run = runs.get(deployId);
      if (!run) throw notFound('Deployment', deployId);
      return { ...run };
    },
  };
}

function moveSecret(secrets: SecretStore, from: string, to: string): void {
  const value = secrets.get(passwordSecretKey(from));
  if (value !== null) secrets.set(passwordSecretKey(to), value);
}

export type DeployService = ReturnType<typeof createDeployService>;
