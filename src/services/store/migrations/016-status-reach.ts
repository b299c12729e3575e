// Which kind of down a status event recorded: SIP down while the host answered ICMP, or nothing
// answering at all (see domain/monitoring/reachability.ts). Null for every other change, and for
// events logged before this column existed.
export const sql = `
ALTER TABLE status_events ADD COLUMN reach TEXT CHECK (reach IS NULL OR reach IN ('sip-down-host-up', 'unreachable'));
`;
