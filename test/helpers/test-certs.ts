import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Real certificates for tests, made by the openssl command line in a temp folder: a CA, leaves it
// signs with chosen validity dates (`openssl ca -startdate/-enddate`, so an expired one is as real
// as a fresh one) and SANs, and their keys. Nothing is checked in: every run makes its own.

export interface TestCa {
  dir: string;
  caPem: string;
  /** Signs a leaf; `days` from now (negative: already over). */
  leaf(options: LeafOptions): TestLeaf;
}

export interface LeafOptions {
  name: string;
  cn: string;
  sans: string[];
  /** Validity window relative to now, in days. */
  fromDays?: number;
  toDays: number;
}

export interface TestLeaf {
  certPem: string;
  keyPem: string;
}

const stamp = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

const CA_CONFIG = `[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = ./index.txt
new_certs_dir = ./issued
serial = ./serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = copy
[ anything ]
commonName = supplied
`;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/**
 * A self-signed P-256 certificate and its key: a test CA, or a server's own certificate (Kamailio's
 * bootstrap TLS, Pebble's API) valid two days. `extra` adds openssl req arguments, such as an
 * -addext for subjectAltName.
 */
export function writeSelfSigned(
  keyFile: string,
  certFile: string,
  subject: string,
  { days = 2, extra = [] }: { days?: number; extra?: readonly string[] } = {},
): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      String(days),
      '-subj',
      subject,
      ...extra,
    ],
    // Piped, so a failure's message carries what openssl said.
    { stdio: 'pipe' },
  );
}

export function makeTestCa(dir: string): TestCa {
  mkdirSync(path.join(dir, 'issued'), { recursive: true });
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  writeFileSync(path.join(dir, 'ca.cnf'), CA_CONFIG);
  writeSelfSigned(path.join(dir, 'ca.key'), path.join(dir, 'ca.pem'), '/CN=Switchyard Test CA', { days: 3650 });
  const caPem = readFileSync(path.join(dir, 'ca.pem'), 'utf8');
  return {
    dir,
    caPem,
    leaf({ name, cn, sans, fromDays = -1, toDays }) {
      const ext = sans.length > 0 ? ['-addext', `subjectAltName=${sans.join(',')}`] : [];
      openssl(dir, [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${cn}`,
        ...ext,
      ]);
      openssl(dir, [
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.pem',
        '-keyfile',
        'ca.key',
        '-in',
        `${name}.csr`,
        '-out',
        `${name}.pem`,
        '-startdate',
        stamp(fromDays),
        '-enddate',
        stamp(toDays),
        '-notext',
      ]);
      return { certPem: readFileSync(path.join(dir, `${name}.pem`), 'utf8'), keyPem: readFileSync(path.join(dir, `${name}.key`), 'utf8') };
    },
  };
}
