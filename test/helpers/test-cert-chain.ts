import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// A three-level chain made by the openssl command line: a root, an intermediate it signs (CA:TRUE),
// and leaves the intermediate signs, so "the server forgot its intermediate" can be made for real.

export interface ChainLeaf {
  certPem: string;
  keyPem: string;
  intermediatePem: string;
}

export function makeChainCa(dir: string): { leaf(name: string, dns: string[]): ChainLeaf } {
  const run = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'root.key', '-out', 'root.pem', '-subj', '/CN=Switchyard Chain Root', '-days', '30']);
  writeFileSync(path.join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  run(['req', '-new', ...ec, '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=Switchyard Chain Intermediate']);
  run([
    'x509',
    '-req',
    '-in',
    'int.csr',
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-out',
    'int.pem',
    '-days',
    '30',
    '-extfile',
    'ca.ext',
  ]);
  const intermediatePem = readFileSync(path.join(dir, 'int.pem'), 'utf8');
  return {
    leaf(name, dns) {
      writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${dns.map((d) => `DNS:${d}`).join(',')}\n`);
      run(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${dns[0] ?? name}`]);
      run([
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'int.pem',
        '-CAkey',
        'int.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        '20',
        '-extfile',
        `${name}.ext`,
      ]);
      return {
        certPem: readFileSync(path.join(dir, `${name}.pem`), 'utf8'),
        keyPem: readFileSync(path.join(dir, `${name}.key`), 'utf8'),
        intermediatePem,
      };
    },
  };
}
