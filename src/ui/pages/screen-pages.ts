// The page each plain screen shows (lib/screens.ts lists the screens), loaded when first shown
// (lib/lazy.ts says why). The Record type makes a screen added to the list without a page here a
// compile error. Screens whose address carries more (the actions log's run, the alerts tab) and the
// server page are placed by App itself, with the loaders below.
import type { Component } from 'svelte';
import { lazy } from '../lib/lazy';
import { isPlainScreen, type PlainScreen } from '../lib/screens';
import FleetPage from './FleetPage.svelte';

export type PageLoader = () => Component | Promise<Component>;

export const SCREEN_PAGES: Readonly<Record<PlainScreen, PageLoader>> = {
  // The home screen comes with the page: fetching it after the page's script ran would add a
  // round trip before the first row (measured: slower than one big script on a loaded machine).
  fleet: () => FleetPage,
  overview: lazy(() => import('./OverviewPage.svelte')),
  clusters: lazy(() => import('./ClustersPage.svelte')),
  zones: lazy(() => import('./ZonesPage.svelte')),
  rtp: lazy(() => import('./RtpPage.svelte')),
  media: lazy(() => import('./MediaPathPage.svelte')),
  tools: lazy(() => import('./ToolsPage.svelte')),
  capacity: lazy(() => import('./CapacityPage.svelte')),
  certificates: lazy(() => import('./CertificatesPage.svelte')),
  apiban: lazy(() => import('./ApibanPage.svelte')),
  advisor: lazy(() => import('./AdvisorPage.svelte')),
  snapshots: lazy(() => import('./SnapshotsPage.svelte')),
  settings: lazy(() => import('./SettingsPage.svelte')),
  accounts: lazy(() => import('./AccountsPage.svelte')),
  audit: lazy(() => import('./AuditPage.svelte')),
};

export const loadServerPage = lazy(() => import('./ServerPage.svelte'));
export const loadActionsLogPage = lazy(() => import('./ActionsLogPage.svelte'));
export const loadAlertsPage = lazy(() => import('./AlertsPage.svelte'));

/** The page of a route, for loading it before the fleet has arrived (both then travel at once). */
export function pageLoaderOf(route: string): (() => unknown) | null {
  if (route === 'server' || route === 'new-server') return loadServerPage;
  if (route === 'actions') return loadActionsLogPage;
  if (route === 'alerts') return loadAlertsPage;
  return isPlainScreen(route) ? SCREEN_PAGES[route] : null;
}
