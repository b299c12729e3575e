// What the command palette (Ctrl/Cmd+K) offers for a query: screens from the one list of screens,
// servers by alias or IP, and actions on a server — the server being shown, or one the query
// names ("edge-1 restart"). Plain data in and out, so it is tested without a browser. Choosing an
// action only opens its dialog; nothing here runs anything.
import type { ActionName } from '../../contract/action-names';
import type { ScreenSpec } from './screens';

export type PaletteItem =
  | { kind: 'screen'; key: string; label: string; hint: string; href: string }
  | { kind: 'server'; key: string; label: string; hint: string; href: string }
  | { kind: 'action'; key: string; label: string; hint: string; action: ActionName; serverId: string };

export interface PaletteServer {
  id: string;
  alias: string;
  ip: string;
}

export interface PaletteSources {
  screens: readonly Pick<ScreenSpec, 'id' | 'label' | 'title' | 'words' | 'key'>[];
  servers: readonly PaletteServer[];
  actions: readonly { name: ActionName; label: string }[];
  /** The server whose page is open: its actions are offered without naming it. */
  currentServerId: string | null;
  /** A read-only console offers no actions at all. */
  readOnly: boolean;
  serverHref: (id: string) => string;
}

export const MAX_RESULTS = 12;
/** Servers named by a query whose actions are offered (a short alias may match many). */
const ACTION_SERVERS = 3;

interface Scored {
  item: PaletteItem;
  score: number;
  order: number;
}

export function tokensOf(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * 3 for a word that starts with the token, 1 for the token inside a word, 0 for no match. One or
 * two letters count only at a word's start: "re" inside "servers" would match nearly everything.
 */
function tokenScore(haystack: string, token: string): number {
  let inside = 0;
  for (let at = haystack.indexOf(token); at >= 0; at = haystack.indexOf(token, at + 1)) {
    if (at === 0 || /[\s.\-_:/·]/.test(haystack[at - 1] ?? '')) return 3;
    if (token.length >= 3) inside = 1;
  }
  return inside;
}

/** The score of a haystack for all tokens, or 0 when one token is missing. */
function allScore(haystack: string, tokens: readonly string[]): number {
  let total = 0;
  for (const token of tokens) {
    const s = tokenScore(haystack, token);
    if (s === 0) return 0;
    total += s;
  }
  return total;
}

const serverHay = (s: PaletteServer) => `${s.alias} ${s.ip}`.toLowerCase();
const serverName = (s: PaletteServer) => s.alias || s.ip;

export function searchPalette(query: string, src: PaletteSources): PaletteItem[] {
  const tokens = tokensOf(query);
  const out: Scored[] = [];
  const add = (item: PaletteItem, score: number, order: number) => out.push({ item, score, order });

  for (const screen of src.screens) {
    const hay = `${screen.title} ${screen.label} ${screen.words}`.toLowerCase();
    const score = tokens.length === 0 ? 1 : allScore(hay, tokens);
    if (score === 0) continue;
    const exact = screen.title.toLowerCase() === query.trim().toLowerCase() ? 5 : 0;
    add(
      { kind: 'screen', key: `screen:${screen.id}`, label: `Go to ${screen.title}`, hint: `g ${screen.key}`, href: `#/${screen.id}` },
      score + exact,
      2,
    );
  }

  // Servers the whole query names, best first.
  const named: { server: PaletteServer; score: number }[] = [];
  if (tokens.length > 0) {
    for (const server of src.servers) {
      const score = allScore(serverHay(server), tokens);
      if (score > 0) named.push({ server, score });
    }
    named.sort((a, b) => b.score - a.score || serverName(a.server).localeCompare(serverName(b.server)));
    for (const { server, score } of named.slice(0, MAX_RESULTS)) {
      add(
        {
          kind: 'server',
          key: `server:${server.id}`,
          label: serverName(server),
          hint: server.alias ? server.ip : 'server',
          href: src.serverHref(server.id),
        },
        score + 1,
        0,
      );
    }
  }

  if (!src.readOnly) {
    for (const { server, rest, bonus } of actionTargets(tokens, src)) {
      for (const action of src.actions) {
        const score = rest.length === 0 ? 1 : allScore(action.label.toLowerCase(), rest);
        if (score === 0) continue;
        add(
          {
            kind: 'action',
            key: `action:${server.id}:${action.name}`,
            label: `${action.label}…`,
            hint: serverName(server),
            action: action.name,
            serverId: server.id,
          },
          score + bonus,
          1,
        );
      }
    }
  }

  out.sort((a, b) => b.score - a.score || a.order - b.order);
  return out.slice(0, MAX_RESULTS).map((s) => s.item);
}

/**
 * Whose actions a query asks for, and the tokens left to match action labels. The open server's
 * actions need no name ("restart"); another server's need its alias or IP and at least one word
 * more ("edge-1 restart"), so typing a name alone lists the server, not its nine actions.
 */
function actionTargets(tokens: readonly string[], src: PaletteSources): { server: PaletteServer; rest: string[]; bonus: number }[] {
  const targets: { server: PaletteServer; rest: string[]; bonus: number }[] = [];
  const current = src.currentServerId === null ? undefined : src.servers.find((s) => s.id === src.currentServerId);
  if (current) {
    const hay = serverHay(current);
    const rest = tokens.filter((t) => !hay.includes(t));
    if (tokens.length === 0 || rest.length > 0) targets.push({ server: current, rest, bonus: 1 });
  }
  if (tokens.length < 2) return targets;
  const found: { server: PaletteServer; rest: string[]; matched: number }[] = [];
  for (const server of src.servers) {
    if (server === current) continue;
    const hay = serverHay(server);
    const rest = tokens.filter((t) => tokenScore(hay, t) === 0);
    const matched = tokens.length - rest.length;
    if (matched > 0 && rest.length > 0) found.push({ server, rest, matched });
  }
  found.sort((a, b) => b.matched - a.matched || serverName(a.server).localeCompare(serverName(b.server)));
  for (const f of found.slice(0, ACTION_SERVERS)) targets.push({ server: f.server, rest: f.rest, bonus: 2 * f.matched });
  return targets;
}
