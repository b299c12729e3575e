// Channel names only, with no schema library: the Electron preload bundles this file and nothing
// else of the contract, so the sandboxed preload stays small. A test proves these lists equal the
// contract's method and event names.

export const METHOD_CHANNELS = [
  'app:info',
  'settings:get',
  'settings:update',
  'fleet:list-zones',
  'fleet:create-zone',
  'fleet:update-zone',
  'fleet:delete-zone',
  'fleet:list-clusters',
  'fleet:create-cluster',
  'fleet:update-cluster',
  'fleet:delete-cluster',
  'fleet:list-servers',
  'fleet:get-server',
  'fleet:create-server',
  'fleet:update-server',
  'fleet:delete-servers',
  'fleet:list-rtp',
  'fleet:create-rtp',
  'fleet:update-rtp',
  'fleet:delete-rtp',
  'fleet:import',
  'fleet:export',
  'fleet:load-demo',
] as const;

export const EVENT_CHANNELS = ['fleet:changed'] as const;

/** IPC channel prefix, so our handlers never collide with Electron's or a library's. */
export const IPC_PREFIX = 'switchyard:';
