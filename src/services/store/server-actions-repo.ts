import type { CommandMethod, OutOfBandMethod } from '../../contract/power-methods';
import type { Db } from './database';

// Install commands, out-of-band power methods and pending resizes (migration 9). Values are
// checked by the services before they get here; what is read back is checked again, so a hand-edited
// row can never reach a run as something it is not. The check of the power commands is written out
// here rather than through the contract's CommandMethod schema: the store is opened by one-shot CLI
// commands (`fleet list`) that must start without loading the schema library.

export interface ResizeRecord {
  serverId: string;
  previousChannels: number;
  channels: number;
  requestedAt: number;
  activeAt: number;
}

interface PowerRow {
  server_id: string;
  method: 'ipmi' | 'command';
  host: string | null;
  port: number | null;
  user: string | null;
  cipher_suite: number | null;
  commands: string | null;
}

interface ResizeRow {
  server_id: string;
  previous_channels: number;
  channels: number;
  requested_at: number;
  active_at: number;
}

const INSTALL_COMMAND_KEY = 'installCommand';

function powerFromRow(row: PowerRow): OutOfBandMethod | null {
  if (row.method === 'ipmi') {
    if (row.host === null || row.port === null || row.user === null) return null;
    return { method: 'ipmi', host: row.host, port: row.port, user: row.user, cipherSuite: row.cipher_suite === 3 ? 3 : 17 };
  }
  return commandsFromJson(row.commands);
}

const COMMAND_KEYS = ['status', 'on', 'soft', 'cycle'] as const;

/** An argv template as CommandMethod allows it: 1–64 strings of at most 1024 characters. */
function isArgv(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 64 &&
    value.every((part) => typeof part === 'string' && part.length <= 1024)
  );
}

/** The stored command method, or null when the row holds anything but exactly the four templates. */
export function commandsFromJson(text: string | null): CommandMethod | null {
  let stored: unknown;
  try {
    stored = JSON.parse(text ?? '{}');
  } catch {
    return null;
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return null;
  const record = stored as Record<string, unknown>;
  if (Object.keys(record).length !== COMMAND_KEYS.length) return null;
  const [status, on, soft, cycle] = COMMAND_KEYS.map((key) => record[key]);
  if (!isArgv(status) || !isArgv(on) || !isArgv(soft) || !isArgv(cycle)) return null;
  return { method: 'command', status, on, soft, cycle };
}

const resizeFromRow = (r: ResizeRow): ResizeRecord => ({
  serverId: r.server_id,
  previousChannels: r.previous_channels,
  channels: r.channels,
  requestedAt: r.requested_at,
  activeAt: r.active_at,
});

export function createServerActionsRepo(db: Db) {
  const getSetting = db.prepare('SELECT value FROM action_settings WHERE key = ?').pluck();
  const putSetting = db.prepare(
    'INSERT INTO action_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const dropSetting = db.prepare('DELETE FROM action_settings WHERE key = ?');

  const getInstall = db.prepare('SELECT command FROM server_install_commands WHERE server_id = ?').pluck();
  const putInstall = db.prepare(
    'INSERT INTO server_install_commands (server_id, command, updated_at) VALUES (?, ?, ?) ON CONFLICT(server_id) DO UPDATE SET command = excluded.command, updated_at = excluded.updated_at',
  );
  const dropInstall = db.prepare('DELETE FROM server_install_commands WHERE server_id = ?');

  const getPower = db.prepare('SELECT server_id, method, host, port, user, cipher_suite, commands FROM server_power WHERE server_id = ?');
  const putPower = db.prepare(
    `INSERT INTO server_power (server_id, method, host, port, user, cipher_suite, commands, updated_at) VALUES (@serverId, @method, @host, @port, @user, @cipherSuite, @commands, @at)
     ON CONFLICT(server_id) DO UPDATE SET method = excluded.method, host = excluded.host, port = excluded.port, user = excluded.user,
       cipher_suite = excluded.cipher_suite, commands = excluded.commands, updated_at = excluded.updated_at`,
  );
  const dropPower = db.prepare('DELETE FROM server_power WHERE server_id = ?');

  const putResize = db.prepare(
    `INSERT INTO server_resizes (server_id, previous_channels, channels, requested_at, active_at) VALUES (@serverId, @previousChannels, @channels, @requestedAt, @activeAt)
     ON CONFLICT(server_id) DO UPDATE SET previous_channels = excluded.previous_channels, channels = excluded.channels,
       requested_at = excluded.requested_at, active_at = excluded.active_at`,
  );
  const getResize = db.prepare('SELECT * FROM server_resizes WHERE server_id = ?');
  const pendingResizes = db.prepare('SELECT * FROM server_resizes WHERE active_at > ? ORDER BY active_at');

  return {
    fleetInstallCommand(): string | null {
      const value = getSetting.get(INSTALL_COMMAND_KEY) as string | undefined;
      const parsed: unknown = value === undefined ? null : JSON.parse(value);
      return typeof parsed === 'string' ? parsed : null;
    },
    setFleetInstallCommand(command: string | null): void {
      if (command === null) dropSetting.run(INSTALL_COMMAND_KEY);
      else putSetting.run(INSTALL_COMMAND_KEY, JSON.stringify(command));
    },
    serverInstallCommand(serverId: string): string | null {
      return (getInstall.get(serverId) as string | undefined) ?? null;
    },
    setServerInstallCommand(serverId: string, command: string | null, at: number): void {
      if (command === null) dropInstall.run(serverId);
      else putInstall.run(serverId, command, at);
    },

    powerMethod(serverId: string): OutOfBandMethod | null {
      const row = getPower.get(serverId) as PowerRow | undefined;
      return row ? powerFromRow(row) : null;
    },
    setPowerMethod(serverId: string, method: OutOfBandMethod | null, at: number): void {
      if (method === null) {
        dropPower.run(serverId);
        return;
      }
      const { method: kind, ...rest } = method;
      putPower.run(
        kind === 'ipmi' && method.method === 'ipmi'
          ? {
              serverId,
              method: kind,
              host: method.host,
              port: method.port,
              user: method.user,
              cipherSuite: method.cipherSuite,
              commands: null,
              at,
            }
          : { serverId, method: kind, host: null, port: null, user: null, cipherSuite: null, commands: JSON.stringify(rest), at },
      );
    },

    recordResize(resize: ResizeRecord): void {
      putResize.run(resize);
    },
    resize(serverId: string): ResizeRecord | null {
      const row = getResize.get(serverId) as ResizeRow | undefined;
      return row ? resizeFromRow(row) : null;
    },
    /** Resizes whose 15 minutes have not passed at `now`. */
    pendingResizes(now: number): ResizeRecord[] {
      return (pendingResizes.all(now) as ResizeRow[]).map(resizeFromRow);
    },
  };
}

export type ServerActionsRepo = ReturnType<typeof createServerActionsRepo>;
