import type { DeployProgress, ServerDeploy } from '../../../contract/cert-deploy-methods';
import { api, callError } from '../api';

/**
 * One server's certificates on the server itself: the last install and check, and the steps of
 * the one under way as the host pushes them. Built per server tab; `dispose()` unsubscribes.
 */
export class ServerDeployState {
  #status = $state.raw<ServerDeploy | null>(null);
  #steps = $state.raw<DeployProgress[]>([]);
  #error = $state<string | null>(null);
  #busy = $state<'install' | 'check' | null>(null);
  readonly #off: (() => void)[] = [];

  constructor(readonly serverId: string) {
    this.#off.push(
      api.on('certs:deploy-progress', (event) => {
        if (event.serverId !== this.serverId) return;
        // A new install starts a fresh list; a check after it is appended.
        this.#steps = event.phase === 'install' && event.step === 'Preparing' && !event.done ? [event] : [...this.#steps, event].slice(-40);
      }),
      api.on('certs:changed', ({ serverId }) => {
        if (serverId === this.serverId) void this.load();
      }),
    );
    void this.load();
  }

  get status(): ServerDeploy | null {
    return this.#status;
  }
  get steps(): DeployProgress[] {
    return this.#steps;
  }
  get error(): string | null {
    return this.#error;
  }
  /** An install or check is under way, asked here or by an assignment. */
  get running(): boolean {
    return this.#busy !== null || this.#status?.running === true || this.#status?.install?.state === 'running';
  }
  get busy(): 'install' | 'check' | null {
    return this.#busy;
  }

  async load(): Promise<void> {
    try {
      this.#status = await api.call('certs:deploy-status', { serverId: this.serverId });
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    }
  }

  async run(what: 'install' | 'check'): Promise<void> {
    this.#busy = what;
    if (what === 'check') this.#steps = [];
    try {
      this.#status = await api.call(what === 'install' ? 'certs:install' : 'certs:check', { serverId: this.serverId });
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#busy = null;
    }
  }

  dispose(): void {
    for (const off of this.#off.splice(0)) off();
  }
}

export const OUTCOME_LABEL: Record<ServerDeploy['checks'][number]['outcome'], string> = {
  ok: 'Served as assigned',
  'wrong-certificate': 'Wrong certificate',
  expired: 'Expired',
  'missing-intermediate': 'Missing intermediate',
  unreachable: 'No TLS answer',
};

export const INSTALL_LABEL: Record<NonNullable<ServerDeploy['install']>['state'], string> = {
  running: 'Installing',
  installed: 'Installed',
  refused: 'Reload refused, previous restored',
  failed: 'Not installed',
};
