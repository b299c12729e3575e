import type { OutOfBandMethod, PowerState } from '../../contract/power-methods';
import { OP_NAMES, type PowerOp } from './power-method';

// Reading what a power controller answered: the power state from a status call, and why a call
// failed in words a tired engineer can act on, naming the field of the out-of-band setting to fix.
// ipmitool's own message is quoted, never replaced.

/** "Chassis Power is on", a provider's "running"/"stopped": on, off, or unknown when neither is said. */
export function parsePowerState(output: string): PowerState {
  const text = output.toLowerCase();
  // Off words first: "powered off" must not read as "on" through "powered".
  if (/\b(is off|power(ed)? off|poweroff|off|stopped|shutoff|shut off|shutdown|terminated|deallocated)\b/.test(text)) return 'off';
  if (/\b(is on|powered on|on|running|active|started)\b/.test(text)) return 'on';
  return 'unknown';
}

export type CallFailure = 'timeout' | 'cancelled' | 'not-found' | null;

export interface CallResult {
  failure: CallFailure;
  code: number | null;
  signal: string | null;
  output: string;
}

export interface PowerProblem {
  message: string;
  /** The out-of-band setting to fix (`outOfBand.host`, `outOfBand.password`); null when none applies. */
  field: string | null;
}

/** Why a call failed, or null when it succeeded. `who` names the server ("sw-1 (10.0.0.1)"). */
export function powerProblem(
  method: OutOfBandMethod,
  op: PowerOp,
  result: CallResult,
  timeoutSec: number,
  who: string,
): PowerProblem | null {
  if (result.failure === null && result.code === 0) return null;
  const said = lastLine(result.output);
  const quoted = said === '' ? '' : ` It said: "${said}"`;
  const program = method.method === 'ipmi' ? 'ipmitool' : (method[op][0] ?? 'the command');
  if (result.failure === 'cancelled') return { message: `${who}: cancelled by the operator; ${program} was stopped.`, field: null };
  if (result.failure === 'not-found') {
    return {
      message: `${who}: ${program} is not installed on this workstation${method.method === 'ipmi' ? ' (Debian/Ubuntu: apt-get install ipmitool)' : ''}, so the ${OP_NAMES[op]} could not be sent.`,
      field: method.method === 'ipmi' ? null : `outOfBand.${op}`,
    };
  }
  if (method.method === 'ipmi') {
    const where = `the BMC at ${method.host}:${method.port}`;
    if (result.failure === 'timeout') {
      return {
        message: `${who}: no answer from ${where} within ${timeoutSec} s; ipmitool was stopped and nothing was changed. Check the BMC address and port (Server Config → Out-of-band power) and that this workstation reaches it over UDP.${quoted}`,
        field: 'outOfBand.host',
      };
    }
    if (/RMCP\+ session|RAKP|unauthorized name|invalid authentication|Authentication type|password/i.test(result.output)) {
      return {
        message: `${who}: ${where} refused the session: the IPMI user "${method.user}" or its password is wrong, or the BMC does not offer cipher suite ${method.cipherSuite} (Server Config → Out-of-band power).${quoted}`,
        field: 'outOfBand.password',
      };
    }
    return { message: `${who}: ipmitool ${OP_NAMES[op]} against ${where} ${exitWords(result)}.${quoted}`, field: null };
  }
  if (result.failure === 'timeout') {
    return {
      message: `${who}: the ${OP_NAMES[op]} command (${program}) did not finish within ${timeoutSec} s and was stopped.${quoted}`,
      field: `outOfBand.${op}`,
    };
  }
  return { message: `${who}: the ${OP_NAMES[op]} command (${program}) ${exitWords(result)}.${quoted}`, field: `outOfBand.${op}` };
}

function exitWords(result: CallResult): string {
  return result.code === null ? `was killed by ${result.signal ? `SIG${result.signal}` : 'a signal'}` : `exited with code ${result.code}`;
}

function lastLine(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const line = lines[lines.length - 1] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}
