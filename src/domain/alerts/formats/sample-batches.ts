// Realistic batches for the formats' tests: one alert, a storm, a test message, resolutions and
// acknowledgements, and text written to break a renderer. Used by tests only.
import type { NoticeBatch, NoticeGroup, NoticeItem } from '../notice';

export const T0 = Date.UTC(2025, 2, 1, 2, 59, 41);

export function sampleItem(overrides: Partial<NoticeItem> = {}): NoticeItem {
  return {
    alertId: 812,
    what: 'firing',
    kind: 'consecutive-failures',
    kindLabel: 'Server down',
    severity: 'critical',
    subject: { type: 'server', id: 'edge-1', label: 'edge-1' },
    serverId: 'edge-1',
    ip: '203.0.113.10',
    zone: 'us-east',
    cluster: 'edge',
    zoneId: 'z-us-east',
    clusterId: 'c-edge',
    summary: 'SIP: 3 probes lost in a row',
    value: 3,
    threshold: 3,
    ruleSource: 'fleet default',
    startedAt: T0,
    at: T0,
    resolvedAt: null,
    acknowledgedBy: null,
    ackNote: null,
    ...overrides,
  };
}

export function sampleBatch(items: NoticeItem[], overrides: Partial<NoticeBatch> = {}): NoticeBatch {
  const kinds = [...new Set(items.map((i) => i.kind))];
  const groups: NoticeGroup[] = kinds.map((kind) => {
    const of = items.filter((i) => i.kind === kind);
    const first = of[0] ?? sampleItem();
    return {
      kind,
      kindLabel: first.kindLabel,
      dedupKey: `switchyard-route-7-${kind}`,
      firing: of.filter((i) => i.what === 'firing' || i.what === 'reminder' || i.what === 'flapping').length,
      acknowledged: of.filter((i) => i.what === 'acknowledged').length,
      severity: first.severity,
    };
  });
  return {
    deliveryId: 1234,
    channel: { id: 3, name: 'NOC' },
    routeId: 7,
    createdAt: T0 + 17_000,
    test: false,
    items,
    groups,
    version: '0.1.0',
    ...overrides,
  };
}

export const oneAlert = (): NoticeBatch => sampleBatch([sampleItem()]);

/** A thousand alerts at once: a zone losing its uplink, seen by several rules. */
export function storm(count = 1000): NoticeBatch {
  const kinds = [
    { kind: 'consecutive-failures', kindLabel: 'Server down', severity: 'critical' },
    { kind: 'sip-loss', kindLabel: 'SIP loss', severity: 'warning' },
    { kind: 'latency', kindLabel: 'Latency', severity: 'info' },
  ] as const;
  const items = Array.from({ length: count }, (_, n) => {
    const k = kinds[n % kinds.length] ?? kinds[0];
    const id = `sbc-${String(n).padStart(4, '0')}`;
    return sampleItem({
      alertId: 10_000 + n,
      ...k,
      what: n % 10 === 9 ? 'resolved' : 'firing',
      resolvedAt: n % 10 === 9 ? T0 + 5_000 : null,
      subject: { type: 'server', id, label: `${id}.us-east.example.net` },
      serverId: id,
      ip: `198.51.${(n >> 8) & 255}.${n & 255}`,
      summary: `${k.kindLabel}: ${(n % 7) + 3} of the last 10 probes lost (${(n % 7) * 10 + 30} %, threshold 20 %)`,
    });
  });
  return sampleBatch(items, { deliveryId: 99 });
}

export const testBatch = (): NoticeBatch =>
  sampleBatch(
    [
      sampleItem({
        alertId: 0,
        subject: { type: 'server', id: null, label: 'example-server' },
        serverId: null,
        ip: '192.0.2.1',
        summary: 'This alert is made up by "Send test".',
      }),
    ],
    {
      test: true,
      groups: [],
      deliveryId: 55,
    },
  );

/** One resolved, one acknowledged with a note, one still firing on another kind. */
export const mixed = (): NoticeBatch =>
  sampleBatch([
    sampleItem({ alertId: 1, what: 'resolved', resolvedAt: T0 + 60_000, at: T0 + 60_000 }),
    sampleItem({
      alertId: 2,
      what: 'acknowledged',
      subject: { type: 'server', id: 'edge-2', label: 'edge-2' },
      serverId: 'edge-2',
      at: T0 + 30_000,
      acknowledgedBy: 'maria',
      ackNote: 'carrier ticket #4471',
    }),
    sampleItem({
      alertId: 3,
      kind: 'cert-expiry',
      kindLabel: 'Certificate expiry',
      severity: 'warning',
      summary: 'TLS certificate expires in 9 days',
      value: 9,
      threshold: 14,
    }),
  ]);

export const HOSTILE_ALIAS = 'Zürich <script>alert(1)</script> *edge* _one_\nFIRING fake line & more 東京 ☎';
export const HOSTILE_SUMMARY = 'SIP: <!channel> lost\r\nBcc: victim@example.net\n[click](https://evil.example) ~x~ `y`';

export const hostile = (): NoticeBatch =>
  sampleBatch(
    [sampleItem({ subject: { type: 'server', id: 'zrh-1', label: HOSTILE_ALIAS }, summary: HOSTILE_SUMMARY, acknowledgedBy: null })],
    {
      channel: { id: 4, name: 'Ops <team> & "friends"' },
    },
  );
