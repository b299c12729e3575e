import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The usual menus, built from Electron's roles so shortcuts and platform conventions come for
 * free. Developer tools only in an unpackaged run: an installed console has no use for them.
 */
export function buildMenu(options: {
  appName: string;
  developer: boolean;
  onOpenSnapshot: () => void;
  /** File → Connect to team host… (team-host.ts). */
  onConnectTeamHost: () => void;
}): Menu {
  const isMac = process.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(options.developer ? ([{ role: 'toggleDevTools' }] as const) : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
    { type: 'separator' },
    // The theme belongs to the renderer; this item will push an event once the contract has one.
    // Until then it is shown disabled rather than doing nothing when clicked.
    { id: 'toggle-theme', label: 'Toggle Theme', enabled: false },
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ label: options.appName, role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        // The dialog runs in the main process: the path the user picks never passes through the page.
        { id: 'open-snapshot', label: 'Open Snapshot File…', accelerator: 'CmdOrCtrl+O', click: () => options.onOpenSnapshot() },
        { id: 'connect-team-host', label: 'Connect to Team Host…', click: () => options.onConnectTeamHost() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
