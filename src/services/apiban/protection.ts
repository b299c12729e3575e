import os from 'node:os';
import { addressInHostSetting, buildProtection, type Protection } from '../../domain/apiban/ban-filter';
import type { Store } from '../store/store';

/**
 * Everything this host's fleet answers from or is reached through — servers, their SSH hosts and
 * jump hosts when written as addresses, RTP servers — and this host's own interface addresses
 * (banning the NOC's address on the servers would lock the console out of them).
 */
export function fleetAddresses(store: Store, hostAddresses: () => string[] = localAddresses): string[] {
  const out: string[] = [];
  for (const server of store.servers.list()) {
    out.push(server.ip);
    for (const setting of [server.ssh.host, server.ssh.jumpHost]) {
      const ip = addressInHostSetting(setting);
      if (ip !== null) out.push(ip);
    }
  }
  for (const rtp of store.rtp.list()) out.push(rtp.ip);
  out.push(...hostAddresses());
  return out;
}

export function localAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

/** What must not be banned right now: non-global addresses, the fleet's own, the allow-list. */
export function currentProtection(store: Store, hostAddresses?: () => string[]): Protection {
  return buildProtection(
    fleetAddresses(store, hostAddresses),
    store.apiban.allowList().map((a) => a.entry),
  );
}
