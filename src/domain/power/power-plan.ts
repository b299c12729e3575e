import { z } from 'zod';
import type { OutOfBandMethod } from '../../contract/power-methods';
import { powerCall, type PowerCall, type PowerServer } from './power-method';

// A recipe that runs out of band lists power steps instead of a command: operations sent to the
// server's controller from this workstation, and waits for the state the previous step asked for.
// Power Cycle is ["cycle"]; OS Cycle is ["soft", "wait-off", "on"]: the operating system shuts
// down through its own mechanisms (the ACPI power button), and only once the controller reports
// the power off is it switched on again.

export const PowerStep = z.enum(['on', 'soft', 'cycle', 'wait-off', 'wait-on']);
export type PowerStep = z.infer<typeof PowerStep>;

export const OutOfBandSteps = z.strictObject({
  steps: z.array(PowerStep).min(1),
  /** Each call to the controller (one ipmitool run) is stopped after this many seconds. */
  callTimeoutSec: z.number().int().positive().max(600).default(20),
  /** How long a wait step polls the power state before giving up. */
  waitSec: z.number().int().positive().max(3_600).default(300),
  /** How often a wait step reads the power state. */
  pollSec: z.number().int().positive().max(60).default(5),
});
export type OutOfBandSteps = z.infer<typeof OutOfBandSteps>;

export type RenderedPowerStep = { kind: 'call'; call: PowerCall } | { kind: 'wait'; until: 'on' | 'off'; status: PowerCall };

export interface RenderedPower {
  steps: RenderedPowerStep[];
  callTimeoutSec: number;
  waitSec: number;
  pollSec: number;
  /** Every step as one readable line, for the dialog and the audit log. */
  line: string;
  needsPassword: boolean;
}

export function renderPower(spec: OutOfBandSteps, method: OutOfBandMethod, server: PowerServer): RenderedPower {
  const steps: RenderedPowerStep[] = spec.steps.map((step) =>
    step === 'wait-off' || step === 'wait-on'
      ? { kind: 'wait', until: step === 'wait-off' ? 'off' : 'on', status: powerCall(method, 'status', server) }
      : { kind: 'call', call: powerCall(method, step, server) },
  );
  const line = steps
    .map((s) => (s.kind === 'call' ? s.call.line : `wait until the power is ${s.until} (up to ${spec.waitSec} s)`))
    .join(' → ');
  return {
    steps,
    callTimeoutSec: spec.callTimeoutSec,
    waitSec: spec.waitSec,
    pollSec: spec.pollSec,
    line,
    needsPassword: steps.some((s) => (s.kind === 'call' ? s.call.needsPassword : s.status.needsPassword)),
  };
}
