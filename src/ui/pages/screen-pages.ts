// The page each plain screen shows (lib/screens.ts lists the screens). The Record type makes a
// screen added to the list without a page here a compile error. Screens whose address carries
// more (the actions log's run, the alerts tab) and the server page are placed by App itself.
import type { Component } from 'svelte';
import type { PlainScreen } from '../lib/screens';
import AdvisorPage from './AdvisorPage.svelte';
import ApibanPage from './ApibanPage.svelte';
import CapacityPage from './CapacityPage.svelte';
import CertificatesPage from './CertificatesPage.svelte';
import ClustersPage from './ClustersPage.svelte';
import FleetPage from './FleetPage.svelte';
import MediaPathPage from './MediaPathPage.svelte';
import OverviewPage from './OverviewPage.svelte';
import RtpPage from './RtpPage.svelte';
import SettingsPage from './SettingsPage.svelte';
import SnapshotsPage from './SnapshotsPage.svelte';
import ToolsPage from './ToolsPage.svelte';
import ZonesPage from './ZonesPage.svelte';

export const SCREEN_PAGES: Readonly<Record<PlainScreen, Component>> = {
  fleet: FleetPage,
  overview: OverviewPage,
  clusters: ClustersPage,
  zones: ZonesPage,
  rtp: RtpPage,
  media: MediaPathPage,
  tools: ToolsPage,
  capacity: CapacityPage,
  certificates: CertificatesPage,
  apiban: ApibanPage,
  advisor: AdvisorPage,
  snapshots: SnapshotsPage,
  settings: SettingsPage,
};
