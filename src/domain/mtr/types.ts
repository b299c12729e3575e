import type { StoppedAt } from '../ping/types';

export type { StoppedAt };

export interface MtrHop {
  hop: number;
  /** First host of the hop; null for an unknown (`???`) hop. */
  host: string | null;
  /** Every address seen at this hop (load-balanced paths list several). */
  hosts: string[];
  lossPct: number;
  sent: number;
  lastMs: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  stddevMs: number | null;
}

export interface MtrResult {
  target?: string;
  hops: MtrHop[];
  stoppedAt?: StoppedAt;
}

/** `screen`: the interactive curses screen copied from a terminal; `json-hops`: forks' flat hop JSON. */
export type MtrFlavor = 'report' | 'report-wide' | 'screen' | 'json' | 'json-hops' | 'raw' | 'csv' | 'winmtr';
