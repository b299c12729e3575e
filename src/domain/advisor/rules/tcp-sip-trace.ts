import { refOf } from '../../platform/fleet-shape';
import type { AdvisorRule } from '../finding';

const ID = 'tcp-sip-trace';

const WHY =
  'TCP SIP trace captures every trace, but under heavy traffic it can slow packet processing, and a busy or unreachable capture server causes TCP back pressure on the switch. UDP, the default, sends and forgets.';

export const tcpSipTrace: AdvisorRule = {
  id: ID,
  title: 'TCP SIP trace left on',
  check(fleet) {
    return fleet.servers
      .filter((s) => s.config.tcpSipTrace)
      .map((s) => ({
        rule: ID,
        severity: 'warning' as const,
        servers: [refOf(s)],
        message: `${s.alias} relays SIP traces over TCP.`,
        why: WHY,
        fix: 'Turn TCP SIP Trace off once the capture is done (back to UDP).',
        field: 'config.tcpSipTrace',
      }));
  },
};
