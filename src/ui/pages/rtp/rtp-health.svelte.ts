// The RTP servers' live state. The console does not probe RTP servers itself; the servers' own
// vantage points ping them (when that is on), so their status is read from there, now and then
// while the page is open.
import type { ServerStatus } from '../../../contract/fleet';
import type { VantageStatus } from '../../../contract/vantage-methods';
import { statusFromVantage } from '../../../domain/fleet/health-rollup';
import { rtpTargetId } from '../../../domain/vantage/plan';
import { api } from '../../lib/api';

const READ_EVERY_MS = 15_000;

export class RtpHealth {
  #status = $state.raw<VantageStatus | null>(null);
  #intervalSec = $state(5);
  #readAt = $state(0);

  /** Whether any vantage point pings RTP servers at all; false before the first read. */
  get probed(): boolean {
    return this.#status?.enabled === true && this.#status.sources.some((s) => s.targets.some((t) => t.kind === 'rtp'));
  }

  statusOf(rtpId: string): ServerStatus {
    const id = rtpTargetId(rtpId);
    const lasts = (this.#status?.sources ?? []).flatMap((s) => s.targets.filter((t) => t.id === id).map((t) => t.last));
    // Three missed periods and a sample no longer says how the server is now.
    return statusFromVantage(lasts, this.#readAt, 3 * this.#intervalSec * 1_000 + READ_EVERY_MS);
  }

  /** Reads now and every few seconds; the returned function stops it (for an `$effect`). */
  follow(): () => void {
    const read = async () => {
      try {
        const [status, settings] = await Promise.all([api.call('vantage:status', {}), api.call('vantage:settings', {})]);
        this.#intervalSec = settings.intervalSec;
        this.#readAt = Date.now();
        this.#status = status;
      } catch {
        // Unreadable (a snapshot without vantage data): the servers stay "not probed".
        this.#status = null;
      }
    };
    void read();
    const timer = setInterval(() => void read(), READ_EVERY_MS);
    return () => clearInterval(timer);
  }
}
