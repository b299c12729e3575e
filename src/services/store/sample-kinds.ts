import { PROBE_KIND_LIST, type ProbeKind } from '../../contract/probe-kinds';

/** Probe kinds as stored: the codes declared in the one list (contract/probe-kinds.ts), fixed forever. */
export const KIND_CODE: Readonly<Record<ProbeKind, number>> = Object.fromEntries(PROBE_KIND_LIST.map((k) => [k.name, k.code])) as Record<
  ProbeKind,
  number
>;

export const KIND_OF_CODE: ReadonlyMap<number, ProbeKind> = new Map(PROBE_KIND_LIST.map((k) => [k.code, k.name]));
