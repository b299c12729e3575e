import path from 'node:path';
import { openPinFile } from '../services/team-client/pin-file';
import { CertificatePins } from '../services/team-client/pinning';

// The desktop app as a client of a team host, for the shell (electron/ imports src/host and
// src/contract only): the pinning logic and the certificate probe of src/services/team-client,
// and where the desktop keeps its pins.

export { readPresentedCertificate, type PresentedCertificate } from '../services/team-client/certificate-probe';
export { CertificatePins, certificateVerdict, parseTeamUrl, TeamHostError, type PinVerdict } from '../services/team-client/pinning';

/** The file beside the app's data that keeps the pinned team hosts. */
export const TEAM_PIN_FILE = 'team-hosts.json';

export function openTeamPins(dataDir: string): CertificatePins {
  return new CertificatePins(openPinFile(path.join(dataDir, TEAM_PIN_FILE)));
}
