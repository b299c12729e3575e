import { DsListError, parseDispatcherList, type DsList } from '../../domain/dispatcher/ds-list';
import type { ExecResult } from '../ssh/exec';

// What one run of the dispatcher recipe means: the destinations, or why they could not be read,
// in words naming the server. kamcmd prints RPC failures on stdout and exits 0; it exits 255 when
// the control socket does not answer; the recipe exits 127 when kamcmd is not there and 124 when
// kamcmd hung past its own deadline.

export type ReadOutcome = { ok: true; list: DsList } | { ok: false; error: string };

const lastLine = (text: string): string => text.trim().split('\n').pop()?.trim().slice(0, 300) ?? '';

export function readOutcome(result: ExecResult, where: string, line: string): ReadOutcome {
  if (result.failure !== null)
    return { ok: false, error: `Reading the dispatcher's destinations on ${where} did not finish (${result.failure}).` };
  const said = lastLine(result.stderr) || lastLine(result.stdout);
  switch (result.code) {
    case 0:
      break;
    case 127:
      return {
        ok: false,
        error: `kamcmd is not installed on ${where}, or not on the SSH user's PATH, so the dispatcher's destinations cannot be read${said ? ` (${said})` : ''}.`,
      };
    case 124:
      return { ok: false, error: `kamcmd got no answer from Kamailio's control socket on ${where} within its deadline.` };
    case 255:
      return {
        ok: false,
        error: `kamcmd could not reach Kamailio's control socket on ${where}: ${said || 'no reason given'}. Is Kamailio running there with the ctl module, on the socket the recipe names?`,
      };
    default:
      return {
        ok: false,
        error: `"${line}" failed on ${where} with exit ${result.code ?? result.signal ?? '?'}${said ? `: ${said}` : ''}.`,
      };
  }
  try {
    return { ok: true, list: parseDispatcherList(result.stdout) };
  } catch (err) {
    if (!(err instanceof DsListError)) throw err;
    switch (err.kind) {
      case 'no-module':
        return {
          ok: false,
          error: `${where} has no dispatcher module loaded: ${err.message} A dispatcher routes calls with that module; check its kamailio.cfg.`,
        };
      case 'rpc-error':
        return { ok: false, error: `Kamailio on ${where} did not list its destinations. ${err.message}` };
      case 'malformed':
        return { ok: false, error: `The output of dispatcher.list on ${where} cannot be read: ${err.message} Nothing was kept from it.` };
    }
  }
}
