import type { RtpDraft, RtpServer } from '../../contract/fleet';
import { notFound, refuseIssues } from '../../domain/errors';
import { canonicalIp } from '../../domain/fleet/ip';
import { rtpIssues } from '../../domain/fleet/rules';
import { newId, type FleetDeps } from './context';

export function createRtpService({ store, clock, emit }: FleetDeps) {
  const normalize = (draft: RtpDraft): RtpDraft => ({ ...draft, ip: canonicalIp(draft.ip) ?? draft.ip.trim(), alias: draft.alias.trim() });
  return {
    list: (): RtpServer[] => store.rtp.list(),
    create(input: RtpDraft): RtpServer {
      const draft = normalize(input);
      const rtp = store.transaction(() => {
        refuseIssues(rtpIssues(draft, store.rtp.list(), store.zones.list(), null));
        const rtp = { ...draft, id: newId() };
        store.rtp.insert(rtp, clock());
        return rtp;
      });
      emit('rtp');
      return rtp;
    },
    update(id: string, input: RtpDraft): RtpServer {
      const draft = normalize(input);
      const rtp = store.transaction(() => {
        if (!store.rtp.get(id)) throw notFound('RTP server', id);
        refuseIssues(rtpIssues(draft, store.rtp.list(), store.zones.list(), id));
        const rtp = { ...draft, id };
        store.rtp.update(rtp);
        return rtp;
      });
      emit('rtp');
      return rtp;
    },
    delete(id: string): { deleted: number } {
      if (!store.rtp.delete(id)) throw notFound('RTP server', id);
      emit('rtp');
      return { deleted: 1 };
    },
  };
}
