// A generated fleet of loopback servers for the console at scale (the console-10k benchmark, its
// screenshots, the end-to-end test at 10,000): server i on 127.100.0.0/14 (ICMP answers every
// 127/8 address; nothing listens for SIP there), its alias `<zone>-sw<i, five digits>` in one of
// four zones in turn, every tenth a dispatcher. As the JSON `fleet:import` reads.

export const LOOPBACK_ZONES = ['us-east', 'eu-west', 'uk-london', 'ap-south'] as const;

export function loopbackIp(i: number): string {
  return `127.${100 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`;
}

export function loopbackAlias(i: number): string {
  return `${LOOPBACK_ZONES[i % LOOPBACK_ZONES.length]}-sw${String(i).padStart(5, '0')}`;
}

export function loopbackFleetJson(count: number): string {
  const servers = Array.from({ length: count }, (_, i) => ({
    ip: loopbackIp(i),
    alias: loopbackAlias(i),
    type: i % 10 === 0 ? 'dispatcher' : 'switch',
    zone: LOOPBACK_ZONES[i % LOOPBACK_ZONES.length],
  }));
  return JSON.stringify({ switchyard: 'fleet', version: 1, servers });
}
