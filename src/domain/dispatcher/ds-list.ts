import {
  childOf,
  childrenOf,
  intOf,
  numberOf,
  parseRpcTree,
  RpcErrorAnswer,
  RpcTextError,
  textOf,
  type RpcNode,
} from '../kamailio/rpc-tree';

// Kamailio's own view of its destinations: `kamcmd dispatcher.list` (dispatcher module, 5.x).
// Each destination carries FLAGS of two letters: its state (A active, I inactive, D disabled,
// T trying) and whether the dispatcher keeps probing it with OPTIONS (P) or not (X). With the
// `ds_ping_latency_stats` modparam each also carries LATENCY: AVG, STD, EST and MAX in ms of the
// keepalives that were answered, and TIMEOUT, the keepalives that were not. Parsed defensively:
// fields a later Kamailio adds are ignored, anything else that is not this shape is refused.

export type DestinationState = 'active' | 'inactive' | 'disabled' | 'trying';

export interface DestinationLatency {
  avgMs: number | null;
  stdMs: number | null;
  estMs: number | null;
  maxMs: number | null;
  /** Keepalives that got no answer. */
  timeouts: number | null;
}

export interface DsDestination {
  setId: number;
  uri: string;
  /** As Kamailio printed them (`AP`, `IP`, `DX`). */
  flags: string;
  /** Null when the first letter is one this build does not know; `flags` still shows it. */
  state: DestinationState | null;
  probing: boolean;
  priority: number | null;
  /** The attributes as written in the destination list (`weight=50;duid=sw1`). */
  attrs: string | null;
  weight: number | null;
  latency: DestinationLatency | null;
}

export interface DsList {
  destinations: DsDestination[];
  /** Set ids in the order Kamailio listed them. */
  setIds: number[];
}

export type DsListFailure = 'no-module' | 'rpc-error' | 'malformed';

export class DsListError extends Error {
  constructor(
    readonly kind: DsListFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DsListError';
  }
}

const STATES: Record<string, DestinationState> = { A: 'active', I: 'inactive', D: 'disabled', T: 'trying' };
const MAX_DESTINATIONS = 10_000;

export function destinationState(flags: string): { state: DestinationState | null; probing: boolean } {
  return { state: STATES[flags.charAt(0).toUpperCase()] ?? null, probing: flags.charAt(1).toUpperCase() === 'P' };
}

function latencyOf(dest: RpcNode): DestinationLatency | null {
  const node = childOf(dest, 'LATENCY');
  if (!node) return null;
  return {
    avgMs: numberOf(node, 'AVG'),
    stdMs: numberOf(node, 'STD'),
    estMs: numberOf(node, 'EST'),
    maxMs: numberOf(node, 'MAX'),
    timeouts: intOf(node, 'TIMEOUT'),
  };
}

function destinationOf(setId: number, dest: RpcNode): DsDestination {
  const uri = textOf(dest, 'URI');
  if (uri === null || !/^sips?:/i.test(uri))
    throw new DsListError(
      'malformed',
      `A destination of set ${setId} has no SIP URI${uri === null ? '' : ` (it says ${JSON.stringify(uri.slice(0, 80))})`}.`,
    );
  const flags = textOf(dest, 'FLAGS');
  if (flags === null || !/^[A-Za-z]{1,4}$/.test(flags)) throw new DsListError('malformed', `Destination ${uri} has no readable FLAGS.`);
  const attrs = childOf(dest, 'ATTRS');
  return {
    setId,
    uri,
    flags,
    ...destinationState(flags),
    priority: intOf(dest, 'PRIORITY'),
    attrs: attrs ? textOf(attrs, 'BODY') : null,
    weight: attrs ? intOf(attrs, 'WEIGHT') : null,
    latency: latencyOf(dest),
  };
}

/** Throws DsListError with what went wrong, in words; never "no destinations" for bad output. */
export function parseDispatcherList(output: string): DsList {
  if (output.trim() === '') throw new DsListError('malformed', 'kamcmd printed nothing.');
  let root: RpcNode;
  try {
    root = parseRpcTree(output);
  } catch (err) {
    if (err instanceof RpcErrorAnswer) {
      // A dispatcher with nothing loaded answers with an error, but it is an answer: no sets.
      if (/no destination sets/i.test(err.text)) return { destinations: [], setIds: [] };
      if (/command dispatcher\.list not found/i.test(err.text))
        throw new DsListError('no-module', `Kamailio answered "${err.message}": the dispatcher module is not loaded.`);
      throw new DsListError('rpc-error', `Kamailio answered with an error: ${err.message}`);
    }
    if (err instanceof RpcTextError) throw new DsListError('malformed', err.message);
    throw err;
  }
  const records = childOf(root, 'RECORDS');
  if (!records) throw new DsListError('malformed', 'The answer has no RECORDS block: it is not what dispatcher.list prints.');
  const sets = childrenOf(records, 'SET');
  const declared = intOf(root, 'NRSETS');
  if (declared !== null && declared !== sets.length)
    throw new DsListError('malformed', `The answer says ${declared} destination sets but lists ${sets.length}: it was cut short.`);
  const destinations: DsDestination[] = [];
  const setIds: number[] = [];
  for (const set of sets) {
    const id = intOf(set, 'ID');
    if (id === null) throw new DsListError('malformed', 'A destination set has no numeric ID.');
    setIds.push(id);
    for (const dest of childrenOf(childOf(set, 'TARGETS'), 'DEST')) {
      if (destinations.length >= MAX_DESTINATIONS)
        throw new DsListError('malformed', `The answer lists more than ${MAX_DESTINATIONS} destinations.`);
      destinations.push(destinationOf(id, dest));
    }
  }
  return { destinations, setIds };
}
