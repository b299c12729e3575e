// The one list of screens. The router's route names, the rail (in this order), the `g` shortcuts,
// the shortcuts dialog and the command palette all read it; App shows each screen's page from
// pages/screen-pages.ts, whose Record type makes a screen without a page a compile error.
// Adding a screen: one entry here, its page there (and a route case only if its address carries
// more than its name, as the actions log and alerts do).

export interface ScreenSpec {
  /** The route name and the address: `#/<id>`. */
  readonly id: string;
  /** The rail's short word. */
  readonly label: string;
  /** The full name, for "Go to …" and the palette. */
  readonly title: string;
  /** Other words the palette finds it by. */
  readonly words: string;
  /** The rail icon: an SVG path on a 20×20 grid, stroked. */
  readonly icon: string;
  /** The key after `g` that opens it. */
  readonly key: string;
  /** Routes that are part of this screen (the rail marks it current on them too). */
  readonly also: readonly string[];
}

export const SCREENS = [
  {
    id: 'fleet',
    label: 'Fleet',
    title: 'Fleet',
    words: 'servers table home',
    icon: 'M3 4h14v3H3zM3 9h14v3H3zM3 14h14v3H3z',
    key: 'f',
    also: ['server', 'new-server'],
  },
  {
    id: 'alerts',
    label: 'Alerts',
    title: 'Alerts',
    words: 'rules channels silences maintenance',
    icon: 'M10 2.5a5 5 0 0 0-5 5v3.5L3.5 14h13L15 11V7.5a5 5 0 0 0-5-5zM8 16.5a2 2 0 0 0 4 0',
    key: 'w',
    also: [],
  },
  {
    id: 'overview',
    label: 'Overview',
    title: 'Overview',
    words: 'wall dashboard',
    icon: 'M3 3h6v6H3zM11 3h6v6h-6zM3 11h6v6H3zM11 11h6v6h-6z',
    key: 'o',
    also: [],
  },
  {
    id: 'clusters',
    label: 'Clusters',
    title: 'Clusters',
    words: 'groups failover',
    icon: 'M6 6a3 3 0 1 0 0.01 0M14 6a3 3 0 1 0 0.01 0M10 13a3 3 0 1 0 0.01 0',
    key: 'c',
    also: [],
  },
  {
    id: 'zones',
    label: 'Zones',
    title: 'Zones',
    words: 'regions',
    icon: 'M10 2a8 8 0 1 0 0.01 0M2 10h16M10 2c3 3 3 13 0 16M10 2c-3 3-3 13 0 16',
    key: 'z',
    also: [],
  },
  // A media waveform; Tools below is a terminal prompt, so the two no longer look alike.
  { id: 'rtp', label: 'RTP', title: 'RTP servers', words: 'media relay rtpengine', icon: 'M2 10h3l2-5 3 10 3-8 2 3h3', key: 'r', also: [] },
  {
    id: 'media',
    label: 'Media path',
    title: 'Media path',
    words: 'rtp zones detour',
    icon: 'M3 14a2 2 0 1 0 0.01 0M17 14a2 2 0 1 0 0.01 0M10 4a2 2 0 1 0 0.01 0M4.5 12.5 8.6 5.6M15.5 12.5 11.4 5.6',
    key: 'm',
    also: [],
  },
  {
    id: 'tools',
    label: 'Tools',
    title: 'Tools',
    words: 'ping mtr traceroute paste sip',
    icon: 'M2.5 4h15v12h-15zM5.5 8l3 2.5-3 2.5M10.5 13h4',
    key: 't',
    also: [],
  },
  {
    id: 'capacity',
    label: 'Capacity',
    title: 'Capacity',
    words: 'channels calls usage load',
    icon: 'M3 17V9h3v8M8.5 17V5h3v12M14 17v-6h3v6M2 17h16',
    key: 'p',
    also: [],
  },
  {
    id: 'actions',
    label: 'Actions log',
    title: 'Actions log',
    words: 'runs history audit',
    icon: 'M4 3h12v14H4zM7 7h6M7 10h6M7 13h4',
    key: 'l',
    also: [],
  },
  {
    id: 'audit',
    label: 'Audit',
    title: 'Audit',
    words: 'who did what sign-in accounts history trail',
    icon: 'M5 3h10v14H5zM8 3V1.5h4V3M7.5 10.5l2 2 3.5-4',
    key: 'u',
    also: [],
  },
  {
    id: 'certificates',
    label: 'Certificates',
    title: 'Certificates',
    words: 'tls acme expiry',
    icon: 'M4 3h12v10H4zM7 7h6M7 10h4M8 13v4l2-1.5 2 1.5v-4',
    key: 'e',
    also: [],
  },
  {
    id: 'apiban',
    label: 'APIBAN',
    title: 'APIBAN',
    words: 'blocklist firewall banned',
    icon: 'M10 2l7 3v5c0 4-3 7-7 8-4-1-7-4-7-8V5zM6.5 6.5l7 7M13.5 6.5l-7 7',
    key: 'b',
    also: [],
  },
  {
    id: 'advisor',
    label: 'Advisor',
    title: 'Advisor',
    words: 'findings recommendations',
    icon: 'M10 2 18 17H2zM10 8v4M10 14.5v.5',
    key: 'a',
    also: [],
  },
  {
    id: 'snapshots',
    label: 'Snapshots',
    title: 'Snapshots',
    words: 'backup copy',
    icon: 'M3 6h3l1.5-2h5L14 6h3v10H3zM10 8.5a3 3 0 1 0 0.01 0',
    key: 'n',
    also: [],
  },
  {
    id: 'accounts',
    label: 'Accounts',
    title: 'Accounts',
    words: 'users roles team sign-in passwords',
    icon: 'M10 3a3 3 0 1 0 0.01 0M4 17c0-3.3 2.7-6 6-6s6 2.7 6 6',
    key: 'k',
    also: [],
  },
  {
    id: 'settings',
    label: 'Settings',
    title: 'Settings',
    words: 'preferences probes interval',
    icon: 'M10 7a3 3 0 1 0 0.01 0M10 1v3M10 16v3M1 10h3M16 10h3M3.6 3.6l2.1 2.1M14.3 14.3l2.1 2.1M3.6 16.4l2.1-2.1M14.3 5.7l2.1-2.1',
    key: 's',
    also: [],
  },
] as const satisfies readonly ScreenSpec[];

export type ScreenId = (typeof SCREENS)[number]['id'];

/** Screens whose address carries a part after the name (a run id, a tab): the router parses those itself. */
export type ParamScreen = 'actions' | 'alerts';
/** Every other screen: its route is just its name. */
export type PlainScreen = Exclude<ScreenId, ParamScreen>;

const PARAM_SCREENS: ReadonlySet<string> = new Set<ParamScreen>(['actions', 'alerts']);
const SCREEN_IDS: ReadonlySet<string> = new Set(SCREENS.map((s) => s.id));

export function isPlainScreen(name: string | undefined): name is PlainScreen {
  return name !== undefined && SCREEN_IDS.has(name) && !PARAM_SCREENS.has(name);
}

export function screenHref(id: ScreenId): string {
  return `#/${id}`;
}

/** The `g` shortcuts: key to address. */
export const GO_KEYS: Readonly<Record<string, string>> = Object.fromEntries(SCREENS.map((s) => [s.key, screenHref(s.id)]));

/** The screen a route belongs to (a server page belongs to Fleet); null when none. */
export function screenOfRoute(routeName: string): (typeof SCREENS)[number] | null {
  return SCREENS.find((s) => s.id === routeName || (s.also as readonly string[]).includes(routeName)) ?? null;
}
