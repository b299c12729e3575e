// What `kamcmd` prints for an RPC answer: nested `Key: {` … `}` blocks and `Key: value` lines,
// indented with tabs, the whole answer usually wrapped in one bare `{` … `}`. An RPC that fails
// prints `error: CODE - text` on stdout (and kamcmd still exits 0), so that line is read as the
// answer, never as data. The text comes from a remote server: its size and nesting are bounded.

export interface RpcNode {
  key: string;
  /** The text after `Key:`; null for a block. */
  value: string | null;
  children: RpcNode[];
}

/** Kamailio answered with an error instead of data (`error: 500 - command … not found`). */
export class RpcErrorAnswer extends Error {
  constructor(
    readonly code: number | null,
    readonly text: string,
  ) {
    super(code === null ? text : `${code} - ${text}`);
    this.name = 'RpcErrorAnswer';
  }
}

/** The output is not an RPC answer kamcmd could have printed (cut short, garbage, too large). */
export class RpcTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RpcTextError';
  }
}

export const MAX_RPC_TEXT = 8 * 1024 * 1024;
const MAX_DEPTH = 32;

const ERROR_LINE = /^error:\s*(?:(\d{3})\s*-\s*)?(.*)$/i;

/** The error kamcmd printed, when the answer is one; null for data. */
export function rpcErrorOf(text: string): RpcErrorAnswer | null {
  const first = text.trimStart().split(/\r?\n/, 1)[0]?.trim() ?? '';
  const match = ERROR_LINE.exec(first);
  if (!match) return null;
  return new RpcErrorAnswer(match[1] === undefined ? null : Number(match[1]), (match[2] ?? '').trim());
}

export function parseRpcTree(text: string): RpcNode {
  if (text.length > MAX_RPC_TEXT)
    throw new RpcTextError(`The answer is ${text.length} characters long, more than the ${MAX_RPC_TEXT} Switchyard reads.`);
  const error = rpcErrorOf(text);
  if (error) throw error;
  const root: RpcNode = { key: '', value: null, children: [] };
  const stack: RpcNode[] = [root];
  // Bare braces wrap the whole answer (and each item of an array of structs): they group nothing
  // we need, but they must balance.
  let bare = 0;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const top = stack[stack.length - 1] as RpcNode;
    if (line === '{') {
      bare += 1;
      continue;
    }
    if (line === '}') {
      if (stack.length > 1) stack.pop();
      else if (bare > 0) bare -= 1;
      else throw new RpcTextError(`Line ${index + 1}: a "}" closes nothing.`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new RpcTextError(`Line ${index + 1} is not "Key: value": ${JSON.stringify(line.slice(0, 80))}`);
    const key = line.slice(0, colon).trim();
    const rest = line.slice(colon + 1).trim();
    if (rest === '{') {
      if (stack.length > MAX_DEPTH) throw new RpcTextError(`Line ${index + 1}: blocks nested more than ${MAX_DEPTH} deep.`);
      const node: RpcNode = { key, value: null, children: [] };
      top.children.push(node);
      stack.push(node);
    } else {
      top.children.push({ key, value: rest, children: [] });
    }
  }
  if (stack.length > 1 || bare > 0) throw new RpcTextError('The answer ends in the middle of a block: it was cut short.');
  return root;
}

export const childOf = (node: RpcNode, key: string): RpcNode | undefined => node.children.find((c) => c.key === key);
export const childrenOf = (node: RpcNode | undefined, key: string): RpcNode[] => (node ? node.children.filter((c) => c.key === key) : []);

/** A value as text; null when absent or when Kamailio printed its empty markers. */
export function textOf(node: RpcNode, key: string): string | null {
  const value = childOf(node, key)?.value ?? null;
  return value === null || value === '<null string>' || value === '[not set]' ? null : value;
}

/** A whole number; null when absent or not one. */
export function intOf(node: RpcNode, key: string): number | null {
  const value = textOf(node, key);
  return value !== null && /^-?\d{1,15}$/.test(value) ? Number(value) : null;
}

/** A decimal number (Kamailio prints latency as `2.666000`); null when absent or not one. */
export function numberOf(node: RpcNode, key: string): number | null {
  const value = textOf(node, key);
  return value !== null && /^-?\d{1,15}(\.\d{1,12})?$/.test(value) ? Number(value) : null;
}
