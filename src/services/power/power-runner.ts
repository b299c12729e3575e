import type { OutOfBandMethod, PowerState } from '../../contract/power-methods';
import { IPMI_PASSWORD_ENV, type PowerCall } from '../../domain/power/power-method';
import { parsePowerState, powerProblem, type PowerProblem } from '../../domain/power/power-outcome';
import type { RenderedPower } from '../../domain/power/power-plan';
import type { SecretStore } from '../secrets/secret-store';
import { localCall } from './local-call';

// Runs an out-of-band plan for one server from this workstation: each power call in turn, and each
// wait as a status read every `pollSec` until the controller reports the state, or `waitSec` pass.
// The first failure stops the plan there, so nothing after it is attempted (OS Cycle never powers
// on a server whose shutdown failed). Each step's command line is printed before it runs, for the
// live output and the audit log; the password never is.

export const powerPasswordKey = (serverId: string): string => `power-password:${serverId}`;

export interface PowerRunOptions {
  signal: AbortSignal;
  output: (chunk: string) => void;
  /** Waits between status reads of a wait step; resolves early when the run is cancelled. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  clock?: () => number;
}

export interface PowerRunResult {
  ok: boolean;
  /** The last call's exit code (null when it was stopped or never ran). */
  code: number | null;
  problem: PowerProblem | null;
  /** The power state last read, when a status was read. */
  state: PowerState | null;
}

export interface PowerTarget {
  id: string;
  alias: string;
  ip: string;
}

const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export function createPowerRunner(secrets: SecretStore) {
  const envFor = (server: PowerTarget, call: PowerCall): Record<string, string> => {
    if (!call.needsPassword) return {};
    const password = secrets.get(powerPasswordKey(server.id));
    return password === null ? {} : { [IPMI_PASSWORD_ENV]: password };
  };

  async function call(
    server: PowerTarget,
    method: OutOfBandMethod,
    power: PowerCall,
    timeoutSec: number,
    options: Pick<PowerRunOptions, 'signal' | 'output'>,
    echo = true,
  ) {
    if (echo) options.output(`$ ${power.line}\n`);
    const result = await localCall(power.argv, {
      env: envFor(server, power),
      timeoutMs: timeoutSec * 1000,
      signal: options.signal,
      onOutput: options.output,
    });
    const problem = powerProblem(method, power.op, result, timeoutSec, `${server.alias} (${server.ip})`);
    return { result, problem };
  }

  return {
    async run(server: PowerTarget, method: OutOfBandMethod, plan: RenderedPower, options: PowerRunOptions): Promise<PowerRunResult> {
      const sleep = options.sleep ?? abortableSleep;
      const clock = options.clock ?? Date.now;
      let code: number | null = null;
      let state: PowerState | null = null;
      for (const step of plan.steps) {
        if (step.kind === 'call') {
          const { result, problem } = await call(server, method, step.call, plan.callTimeoutSec, options);
          code = result.code;
          if (problem) return { ok: false, code, problem, state };
          continue;
        }
        options.output(
          `Waiting until ${method.method === 'ipmi' ? 'the BMC' : 'the controller'} reports the power ${step.until} (every ${plan.pollSec} s, up to ${plan.waitSec} s): $ ${step.status.line}\n`,
        );
        const end = clock() + plan.waitSec * 1000;
        for (;;) {
          const { result, problem } = await call(server, method, step.status, plan.callTimeoutSec, options, false);
          code = result.code;
          if (problem) return { ok: false, code, problem, state };
          state = parsePowerState(result.output);
          if (state === step.until) break;
          if (clock() >= end) {
            const message = `${server.alias} (${server.ip}): the power was still ${state} ${plan.waitSec} s after the request, so the run stopped here${step.until === 'off' ? ' and the server was not switched on again. The operating system did not shut down: use Power Cycle for a hard reset' : ''}.`;
            return { ok: false, code, problem: { message, field: null }, state };
          }
          await sleep(plan.pollSec * 1000, options.signal);
          if (options.signal.aborted)
            return {
              ok: false,
              code: null,
              problem: {
                message: `${server.alias} (${server.ip}): cancelled by the operator while waiting for the power ${step.until}.`,
                field: null,
              },
              state,
            };
        }
      }
      return { ok: true, code, problem: null, state };
    },

    /** Reads the power state once (the Config tab's "Read power state"). */
    async status(server: PowerTarget, method: OutOfBandMethod, power: PowerCall, timeoutSec: number, signal: AbortSignal) {
      let output = '';
      const { result, problem } = await call(server, method, power, timeoutSec, { signal, output: (c) => (output += c) }, false);
      return { state: problem ? ('unknown' as const) : parsePowerState(result.output), output, problem };
    },
  };
}

export type PowerRunner = ReturnType<typeof createPowerRunner>;
