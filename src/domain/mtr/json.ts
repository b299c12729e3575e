// `mtr --json`: 0.95 prints numbers as numbers, older versions print some as strings
// ("count": "1", "tests": "10"; some tools' outputs quote the figures too); both are read the
// same way. A paste cut before its closing brackets is read as far as it goes.
import type { MtrHop, MtrResult } from './types';
import { hostOrNull, mtrNumber } from './hop';
import { errorMessage } from '../error-message';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The same text with the brackets it left open closed, when it was cut short between values
 * (a paste that lost its last lines); null when it was cut inside a string or is not JSON.
 */
export function closeCutJson(text: string): string | null {
  const open: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') open.push('}');
    else if (c === '[') open.push(']');
    else if (c === '}' || c === ']') {
      if (open.pop() !== c) return null;
    }
  }
  if (inString || open.length === 0) return null;
  return text.replace(/[\s,]*$/, '') + open.reverse().join('');
}

/**
 * The JSON document of an mtr output, closing the brackets of one cut short (and saying where it
 * stopped); a refusal as an empty result when it is not JSON at all. Shared by every JSON flavour.
 */
export function readMtrJson(text: string): { doc: unknown; stoppedAt?: MtrResult['stoppedAt'] } | { refused: MtrResult } {
  try {
    return { doc: JSON.parse(text) };
  } catch (err) {
    const closed = closeCutJson(text);
    try {
      if (closed === null) throw err;
      const lines = text.replace(/\s+$/, '').split(/\r?\n|\r/).length;
      return {
        doc: JSON.parse(closed),
        stoppedAt: { line: lines, reason: 'the JSON ends before its closing brackets (the output was cut short)' },
      };
    } catch {
      return { refused: { hops: [], stoppedAt: { line: 1, reason: `invalid JSON: ${errorMessage(err)}` } } };
    }
  }
}

export function parseMtrJson(text: string): MtrResult {
  const read = readMtrJson(text);
  if ('refused' in read) return read.refused;
  const { doc, stoppedAt } = read;
  const report = isRecord(doc) && isRecord(doc.report) ? doc.report : null;
  if (report === null) return { hops: [], stoppedAt: { line: 1, reason: 'no "report" object' } };
  const result: MtrResult = { hops: [] };
  const meta = isRecord(report.mtr) ? report.mtr : {};
  if (typeof meta.dst === 'string') result.target = meta.dst;
  const hubs = Array.isArray(report.hubs) ? report.hubs : [];
  hubs.forEach((hub, i) => {
    if (!isRecord(hub)) return;
    const hop = mtrNumber(hub.count) ?? i + 1;
    const host = hostOrNull(typeof hub.host === 'string' ? hub.host : '');
    const previous = result.hops[result.hops.length - 1];
    // Several addresses at one hop come as consecutive hubs with the same count.
    if (previous && previous.hop === hop) {
      if (host !== null) previous.hosts.push(host);
      return;
    }
    const entry: MtrHop = {
      hop,
      host,
      hosts: host === null ? [] : [host],
      lossPct: mtrNumber(hub['Loss%']) ?? 0,
      sent: mtrNumber(hub.Snt) ?? 0,
      lastMs: mtrNumber(hub.Last),
      avgMs: mtrNumber(hub.Avg),
      bestMs: mtrNumber(hub.Best),
      worstMs: mtrNumber(hub.Wrst),
      stddevMs: mtrNumber(hub.StDev),
    };
    result.hops.push(entry);
  });
  if (stoppedAt) result.stoppedAt = stoppedAt;
  return result;
}
