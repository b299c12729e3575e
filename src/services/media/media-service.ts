// Media server selection: measures from every RTP server to both ends of a call over SSH (the
// servers' own ping, so the figures are the media's real paths, not this workstation's), ranks the
// zones by the latency the detour adds, keeps the result for the advisor, and sets a server's
// media zone.
import { randomUUID } from 'node:crypto';
import type { RtpServer, Server } from '../../contract/fleet';
import type { MeasureInput, MediaMeasurement, MediaProgress, MediaSsh, MediaZoneSetting } from '../../contract/media-methods';
import { conflict, invalid, notFound } from '../../domain/errors';
import { formatMs, MEDIA_RULE, rankMediaZones, type PathFigure, type RtpProbe } from '../../domain/media/ranking';
import { checkTarget, PingParams } from '../../domain/tools';
import type { Store } from '../store/store';
import type { ToolRunner } from '../tools';
import { boundedAll, pingPath } from './path-pings';

export interface MediaServiceDeps {
  store: Store;
  clock: () => number;
  /** Runs an argv on an RTP server over SSH. */
  rtpRunner: (rtp: RtpServer) => ToolRunner;
  /** Runs an argv on a fleet server over SSH (the direct figure, from the carrier's end). */
  serverRunner: (server: Server) => ToolRunner;
  onProgress?: (progress: MediaProgress) => void;
  /** A server's media zone changed (consoles re-read it). */
  onZoneSet?: () => void;
  /** True while a snapshot is shown: its servers are history, nothing is measured from them. */
  snapshotShown?: () => boolean;
  newId?: () => string;
  /** RTP servers measured at once (each runs its two pings side by side). */
  concurrency?: number;
  /** Pings per path; 5 at 0.2 s is about a second per path and steadier than one. */
  ping?: Partial<PingParams>;
  deadlineMs?: number;
}

const target = (field: string, value: string): string => {
  const check = checkTarget(value.trim());
  if (!check.ok) throw invalid(field, `${field === 'customer' ? 'Customer' : 'Carrier'} address: ${check.reason}`);
  return check.target.text;
};

const label = (s: { alias: string; ip: string }): string => `${s.alias} (${s.ip})`;

export function createMediaService(deps: MediaServiceDeps) {
  const { store } = deps;
  const newId = deps.newId ?? randomUUID;
  const params = PingParams.parse({ count: 5, intervalS: 0.2, ...deps.ping });
  const pingOptions = { params, deadlineMs: deps.deadlineMs ?? 25_000 };

  function serverOrRefuse(serverId: string): Server {
    const s = store.servers.get(serverId);
    if (!s) throw invalid('serverId', `No fleet server has the id ${serverId}; pick a server of the fleet.`);
    return { ...s, status: 'unknown' };
  }

  async function measure(input: MeasureInput): Promise<MediaMeasurement> {
    if (deps.snapshotShown?.() === true) {
      throw conflict('customer', 'This console shows a snapshot: its RTP servers are history. Return to the live fleet to measure.');
    }
    // Everything a user can get wrong is refused before any connection opens.
    const customer = target('customer', input.customer);
    const server = input.serverId === undefined ? null : serverOrRefuse(input.serverId);
    if (input.carrier === undefined && server === null)
      throw invalid('carrier', "Give the carrier's address, or pick the server at the carrier's end.");
    const carrier = input.carrier === undefined ? (server as Server).ip : target('carrier', input.carrier);
    const rtps = store.rtp.list();
    if (rtps.length === 0) throw invalid('rtp', 'No RTP servers to measure from: add RTP servers to their zones first (RTP page).');

    // The direct path can be measured only from a server Switchyard reaches at the carrier's end.
    const carrierServer = server !== null && server.ip === carrier ? server : (store.servers.list().find((s) => s.ip === carrier) ?? null);
    const started = deps.clock();
    const id = newId();
    const total = rtps.length * 2 + (carrierServer ? 1 : 0);
    let done = 0;
    const progress = (what: string, figure: PathFigure) => {
      done += 1;
      deps.onProgress?.({ measurementId: id, done, total, last: figure.error ?? `${what}: ${formatMs(figure.rttMs ?? 0)} ms` });
    };

    const directRun = carrierServer
      ? pingPath(
          {
            from: label(carrierServer),
            to: `the customer ${customer}`,
            target: customer,
            runner: deps.serverRunner({ ...carrierServer, status: 'unknown' }),
          },
          pingOptions,
        ).then((f) => {
          progress(`${carrierServer.alias} → customer ${customer}`, f);
          return f;
        })
      : Promise.resolve(null);

    const probes = await boundedAll(rtps, deps.concurrency ?? 6, async (rtp): Promise<RtpProbe> => {
      const runner = deps.rtpRunner(rtp);
      const from = `RTP server ${label(rtp)}`;
      const [toCustomer, toCarrier] = await Promise.all(
        [
          { to: `the customer ${customer}`, target: customer, short: `customer ${customer}` },
          { to: `the carrier ${carrier}`, target: carrier, short: `carrier ${carrier}` },
        ].map(async (end) => {
          const f = await pingPath({ from, to: end.to, target: end.target, runner }, pingOptions);
          progress(`${rtp.alias} → ${end.short}`, f);
          return f;
        }),
      );
      return {
        rtpId: rtp.id,
        alias: rtp.alias,
        ip: rtp.ip,
        zoneId: rtp.zoneId,
        customer: toCustomer as PathFigure,
        carrier: toCarrier as PathFigure,
      };
    });
    const direct = await directRun;

    const zones = store.zones.list().map((z) => ({ id: z.id, name: z.name }));
    const ranking = rankMediaZones(probes, zones, direct?.rttMs ?? null);
    const directNote =
      carrierServer === null
        ? 'Not measured: neither end is a server Switchyard reaches, so the ranking is by the media path alone.'
        : (direct?.error ?? `Measured from ${label(carrierServer)} to the customer.`);
    const measurement: MediaMeasurement = {
      id,
      measuredAt: started,
      customer,
      carrier,
      serverId: server?.id ?? carrierServer?.id ?? null,
      serverLabel: server ? label(server) : carrierServer ? label(carrierServer) : null,
      direct: { rttMs: direct?.rttMs ?? null, lossPct: direct?.lossPct ?? null, note: directNote },
      zones: ranking.zones,
      probes,
      verdict: ranking.verdict,
      rule: MEDIA_RULE,
      errors: [
        ...(direct?.error ? [direct.error] : []),
        ...probes.flatMap((p) => [p.customer.error, p.carrier.error]).filter((e): e is string => e !== null),
      ],
      durationMs: Math.max(0, deps.clock() - started),
    };
    store.media.save(measurement);
    return measurement;
  }

  function setZone(serverId: string, zoneId: string | null): MediaZoneSetting {
    const server = store.servers.get(serverId);
    if (!server) throw notFound('Server', serverId);
    if (zoneId !== null) {
      const zone = store.zones.list().find((z) => z.id === zoneId);
      if (!zone) throw invalid('zoneId', `No zone has the id ${zoneId}; pick a zone that has RTP servers, or automatic.`);
      if (!store.rtp.list().some((r) => r.zoneId === zoneId)) {
        throw invalid(
          'zoneId',
          `Zone ${zone.name} has no RTP servers, so media for ${server.alias} cannot go there. Add an RTP server to ${zone.name} first, or choose automatic.`,
        );
      }
    }
    store.media.setZone(serverId, zoneId);
    deps.onZoneSet?.();
    return { serverId, zoneId };
  }

  return {
    measure,
    last: (serverId?: string): MediaMeasurement | null => store.media.last(serverId),
    zones: (): MediaZoneSetting[] => store.media.zones(),
    setZone,
    ssh: (): MediaSsh => store.media.ssh(),
    setSsh(settings: MediaSsh): MediaSsh {
      store.media.setSsh(settings);
      return store.media.ssh();
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
