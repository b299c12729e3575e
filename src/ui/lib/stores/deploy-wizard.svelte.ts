import type { ServerDraft } from '../../../contract/fleet';
import type { BalanceCheck, DeployState } from '../../../contract/platform-methods';
import { defaultServerDraft } from '../../../domain/fleet/defaults';
import { api, callError } from '../api';
import { deployStepIssues, type CheckedStep } from '../deploy-steps';
import { FieldErrors, headlineOf } from '../field-errors';
import { fleet } from './fleet.svelte';

// The Deploy server wizard: placement, host and SSH access, the balance check, then the install
// with its live output. The draft stays here until the host says the install succeeded.

export type WizardStep = 'placement' | 'host' | 'balance' | 'install';
export const STEPS: WizardStep[] = ['placement', 'host', 'balance', 'install'];

const HOST_FIELDS = /^(ip|alias|ssh\.|password|params\.)/;
const PLACEMENT_FIELDS = /^(zoneId|clusterId|type|channels|cps)$/;

export class DeployWizard {
  step = $state<WizardStep>('placement');
  draft = $state<ServerDraft>(defaultServerDraft(''));
  password = $state('');
  installScript = $state('');
  balanceDollars = $state('0.00');

  #check = $state.raw<BalanceCheck | null>(null);
  #errors = $state.raw(new FieldErrors());
  #busy = $state(false);
  #deployId = $state<string | null>(null);
  #state = $state<DeployState | null>(null);
  #output = $state('');
  #serverId = $state<string | null>(null);
  #failure = $state<string | null>(null);
  #off: (() => void) | null = null;

  constructor(zoneId: string, sshUser: string) {
    this.draft = { ...defaultServerDraft(zoneId, sshUser) };
  }

  get check() {
    return this.#check;
  }
  get errors() {
    return this.#errors;
  }
  get busy() {
    return this.#busy;
  }
  get state() {
    return this.#state;
  }
  get output() {
    return this.#output;
  }
  get serverId() {
    return this.#serverId;
  }
  get failure() {
    return this.#failure;
  }
  get running() {
    return this.#state === 'connecting' || this.#state === 'installing';
  }

  async loadCheck(): Promise<void> {
    try {
      this.#check = await api.call('platform:deploy-check', {});
      this.balanceDollars = (this.#check.availableCents / 100).toFixed(2);
    } catch (e) {
      this.#errors = new FieldErrors(callError(e));
    }
  }

  /** The balance as the user reads it in billing, kept in settings; whole cents only. */
  async saveBalance(): Promise<void> {
    const text = this.balanceDollars.trim().replace(/^\$/, '').replaceAll(',', '');
    if (!/^\d+(\.\d{1,2})?$/.test(text)) {
      this.#errors = new FieldErrors({
        code: 'invalid-input',
        message: `"${this.balanceDollars}" is not an amount in dollars and cents (e.g. 120.50).`,
        field: 'availableBalance',
      });
      return;
    }
    const [whole = '0', cents = ''] = text.split('.');
    const availableBalanceCents = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
    try {
      await api.call('settings:update', { availableBalanceCents });
      this.#errors = new FieldErrors();
      await this.loadCheck();
    } catch (e) {
      const err = callError(e);
      this.#errors = new FieldErrors({ ...err, field: 'availableBalance' });
    }
  }

  go(step: WizardStep): void {
    this.step = step;
    if (step === 'balance') void this.loadCheck();
  }

  /**
   * Next from a step that holds fields: checked as the host would check them, so a step never
   * passes what the install then refuses. Returns the first refused field, or null when it moved on.
   */
  next(from: CheckedStep, to: WizardStep): string | null {
    const issues = deployStepIssues(from, $state.snapshot(this.draft), this.password, fleet);
    if (issues.length > 0) {
      this.#errors = new FieldErrors({ code: 'invalid-input', message: headlineOf(issues.map((i) => i.message)), issues });
      return issues[0]?.field ?? null;
    }
    this.#errors = new FieldErrors();
    this.go(to);
    return null;
  }

  async deploy(): Promise<void> {
    if (this.#busy || this.running) return;
    this.#busy = true;
    this.#output = '';
    this.#failure = null;
    this.#serverId = null;
    const draft = $state.snapshot(this.draft);
    const script = this.installScript.trim();
    try {
      this.#listen();
      const started = await api.call('platform:deploy', {
        draft,
        ...(draft.ssh.auth === 'password' ? { password: this.password } : {}),
        installParams: script === '' ? {} : { installScript: script },
      });
      this.#deployId = started.deployId;
      this.#errors = new FieldErrors();
      this.step = 'install';
      // Events may have arrived before the id was known: read what happened so far.
      const run = await api.call('platform:deploy-status', { deployId: started.deployId });
      if (this.#output === '') this.#output = run.output;
      this.#state = run.state;
      this.#serverId = run.serverId;
      this.#failure = run.error;
    } catch (e) {
      const err = callError(e);
      this.#errors = new FieldErrors(err);
      const field = err.field ?? '';
      // Show the refusal where it can be fixed.
      if (PLACEMENT_FIELDS.test(field)) this.step = 'placement';
      else if (HOST_FIELDS.test(field)) this.step = 'host';
      else this.step = 'balance';
      await this.loadCheck();
    } finally {
      this.#busy = false;
    }
  }

  #listen(): void {
    this.#off?.();
    this.#off = api.on('platform:deploy-update', (u) => {
      if (this.#deployId !== null && u.deployId !== this.#deployId) return;
      if (this.#deployId === null) this.#deployId = u.deployId;
      this.#state = u.state;
      this.#output += u.chunk;
      this.#serverId = u.serverId;
      this.#failure = u.error;
    });
  }

  close(): void {
    this.#off?.();
    this.#off = null;
  }
}
