import fc from 'fast-check';
import { Name } from '../../src/contract/fleet';
import type { FleetExport } from '../../src/domain/fleet-file/json';
import type { FileRtp, FileServer } from '../../src/domain/fleet-file/records';

// Generated fleets for round-trip properties: values as an export writes them (already trimmed,
// no blank strings where null means "unset"), with the characters that trouble file formats
// (commas, quotes, line breaks, spreadsheet formula prefixes, non-ASCII) mixed in.

const awkward = fc.constantFrom(',', '"', "'", '\n', '\r\n', '=', '+', '-', '@', ';', ' ', '\t', 'é', '東', '🚀', '\\');
const unit = fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) }, awkward);

/** Free text as the file stores it: trimmed and not empty. */
export function text(maxLength: number): fc.Arbitrary<string> {
  return fc
    .string({ unit, minLength: 1, maxLength: Math.min(maxLength, 24) })
    .filter((s) => s.trim() === s && s.length > 0 && s.length <= maxLength);
}

/** A Name exactly as the schema outputs it. */
export const name: fc.Arbitrary<string> = text(64).filter((s) => Name.safeParse(s).data === s);

const port = fc.integer({ min: 1, max: 65535 });
const expiry = fc.oneof(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.integer({ min: -8.64e15, max: 8.64e15 }));

export const fileServer: fc.Arbitrary<FileServer> = fc.record({
  ip: fc.oneof(fc.ipV4(), fc.ipV6()),
  alias: name,
  type: fc.constantFrom('dispatcher' as const, 'switch' as const),
  cluster: fc.option(name),
  zone: name,
  channels: fc.integer({ min: 1, max: 1_000_000 }),
  cps: fc.integer({ min: 1, max: 100_000 }),
  expires: fc.option(expiry),
  adminState: fc.constantFrom('running' as const, 'stopped' as const),
  installRecommended: fc.boolean(),
  updatePending: fc.boolean(),
  config: fc.record({
    interconnect: fc.record({
      terminationIngress: fc.boolean(),
      terminationEgress: fc.boolean(),
      originationIngress: fc.boolean(),
      originationEgress: fc.boolean(),
    }),
    uacAuth: fc.boolean(),
    webrtcTls: fc.boolean(),
    fqdn: fc.option(fc.oneof(fc.domain(), text(253))),
    autoUpgrade: fc.boolean(),
    disableUacPing: fc.boolean(),
    uacLocationSharing: fc.boolean(),
    tlsInternals: fc.boolean(),
    restrictDirect: fc.boolean(),
    tcpSipTrace: fc.boolean(),
    anyReg: fc.boolean(),
    processingZone: fc.option(text(64)),
    ports: fc.record({ udp: port, tcp: port, tls: port }),
    capacityFailover: fc.record({ enabled: fc.boolean(), target: fc.option(text(64)) }),
    tlsPin: fc.option(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).chain((bytes) => {
        const pairs = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
        return fc.constantFrom(pairs.join(''), pairs.join(':').toUpperCase());
      }),
    ),
  }),
  ssh: fc.record(
    {
      host: fc.option(text(253)),
      port,
      user: text(64),
      auth: fc.constantFrom('agent' as const, 'key' as const, 'password' as const),
      keyPath: fc.option(text(4096)),
      jumpHost: fc.option(text(300)),
    },
    { requiredKeys: ['host', 'port', 'auth', 'keyPath', 'jumpHost'] },
  ),
  // CSV has no column for UAC Auth upstreams (a list per server): JSON's are tested in uac-kamailio.test.ts.
  uacUpstreams: fc.constant([]),
  mediaZone: fc.option(text(64)),
});

export const fileRtp: fc.Arbitrary<FileRtp> = fc.record({ ip: fc.oneof(fc.ipV4(), fc.ipV6()), alias: name, zone: name });

const group = fc.record({ name, description: fc.oneof(fc.constant(''), text(500)) });

export const fleet: fc.Arbitrary<FleetExport> = fc.record({
  zones: fc.array(group, { maxLength: 3 }),
  clusters: fc.array(group, { maxLength: 3 }),
  servers: fc.array(fileServer, { maxLength: 5 }),
  rtpServers: fc.array(fileRtp, { maxLength: 3 }),
});
