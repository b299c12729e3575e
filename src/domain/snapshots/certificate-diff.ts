// What changed in the certificates between two pictures of the fleet. A certificate is the same
// certificate on both sides when its SHA-256 fingerprint is (ids differ between workstations that
// imported the same file); what an engineer changes about one is its name and where it is used:
// which server holds it, as Server or Client, for which SIP domains. Servers are named by IP, the
// identity the server diff uses too.
import { diffKeyed, type Keyed, type KeyedChange, type Scalar } from './diff';

export interface PictureAssignment {
  serverIp: string;
  type: 'server' | 'client';
  domains: readonly string[];
}

export interface PictureCertificate {
  fingerprint256: string;
  name: string;
  assignments: readonly PictureAssignment[];
}

export function diffCertificates(a: readonly PictureCertificate[], b: readonly PictureCertificate[]): KeyedChange<'fingerprint'> {
  return diffKeyed('fingerprint', a.map(certificateRecord), b.map(certificateRecord));
}

/** The field that holds one assignment: `assigned 10.0.0.1 as server`, its SIP domains the value. */
export function assignmentField(serverIp: string, type: 'server' | 'client'): string {
  return `assigned ${serverIp} as ${type}`;
}

function certificateRecord(c: PictureCertificate): Keyed {
  const fields: Record<string, Scalar> = { name: c.name };
  for (const a of c.assignments) {
    // Present-but-empty ("no SIP domains") differs from absent (null: not assigned there at all).
    fields[assignmentField(a.serverIp, a.type)] = a.domains.length === 0 ? '(no SIP domains)' : [...a.domains].sort().join(', ');
  }
  return { key: c.fingerprint256, label: c.name, fields };
}
