import { isExpired, isExpiringSoon } from '../../fleet/status';
import { refOf } from '../../platform/fleet-shape';
import type { AdvisorRule, Finding } from '../finding';

const ID = 'server-expiry';

const WHY =
  "When a server's test period ends (or the account is unpaid) the platform disables it and it shows as Expired: it stops processing calls.";

export const serverExpiry: AdvisorRule = {
  id: ID,
  title: 'Servers expired or expiring soon',
  check(fleet, now, settings) {
    const findings: Finding[] = [];
    for (const s of fleet.servers) {
      if (isExpired(s.expiresAt, now)) {
        findings.push({
          rule: ID,
          severity: 'error',
          servers: [refOf(s)],
          message: `${s.alias} has expired and no longer processes calls.`,
          why: WHY,
          fix: 'Renew the server (or remove it from the fleet), then update its expiry.',
          field: 'expiresAt',
        });
      } else if (isExpiringSoon(s.expiresAt, now, settings.expiringSoonDays)) {
        const days = Math.ceil(((s.expiresAt ?? now) - now) / 86_400_000);
        findings.push({
          rule: ID,
          severity: 'warning',
          servers: [refOf(s)],
          message: `${s.alias} expires in ${days} day${days === 1 ? '' : 's'}.`,
          why: WHY,
          fix: 'Renew it before the test period ends.',
          field: 'expiresAt',
        });
      }
    }
    return findings;
  },
};
