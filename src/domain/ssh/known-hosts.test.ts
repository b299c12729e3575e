import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  formatKnownHostsLine,
  knownHostName,
  knownKeyTypes,
  matchWildcard,
  parseKnownHosts,
  type HashHostName,
} from './known-hosts';

const hash: HashHostName = (salt, name) => createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIBz0pDb2YPmB2ArwSvVMhqEhz2jXiCXUJ6rhwnX1ZoXv';
const presented = (host: string, port: number, key: string, keyType = 'ssh-ed25519') => ({ host, port, keyType, key });

function hashedLine(name: string, key: string): string {
  const salt = Buffer.from('0123456789abcdefghij').toString('base64');
  return `|1|${salt}|${hash(salt, name)} ssh-ed25519 ${key}`;
}

describe('parseKnownHosts', () => {
  it('reads plain, bracketed, hashed and marked lines with their line numbers', () => {
    const text = [
      '# comment',
      '',
      'sip1.example,10.0.0.1 ssh-ed25519 ' + KEY_A + ' note',
      '[10.0.0.2]:2222 ssh-ed25519 ' + KEY_A,
      hashedLine('10.0.0.3', KEY_A),
      '@revoked * ssh-ed25519 ' + KEY_B,
      '@cert-authority *.example ssh-ed25519 ' + KEY_B,
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text, 'kh');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.line, e.marker, e.names.kind])).toEqual([
      [3, null, 'patterns'],
      [4, null, 'patterns'],
      [5, null, 'hashed'],
      [6, 'revoked', 'patterns'],
      [7, 'cert-authority', 'patterns'],
    ]);
  });

  it('reports damaged lines instead of guessing', () => {
    const { entries, problems } = parseKnownHosts('@bogus h ssh-ed25519 AAAA\nonlyhost\n|1|x ssh-ed25519 AAAA', 'kh');
    expect(entries).toEqual([]);
    expect(problems.map((p) => p.line)).toEqual([1, 2, 3]);
  });
});

describe('matching', () => {
  it('files port 22 under the bare host and other ports as [host]:port', () => {
    expect(knownHostName('SIP1.Example', 22)).toBe('sip1.example');
    expect(knownHostName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('matches OpenSSH wildcards', () => {
    expect(matchWildcard('[127.0.0.9]:2222', '[127.0.0.*]:2222')).toBe(true);
    expect(matchWildcard('sip12.example', 'sip?2.example')).toBe(true);
    expect(matchWildcard('sip1.example', 'sip?2.example')).toBe(false);
    expect(matchWildcard('abc', '*')).toBe(true);
    expect(matchWildcard('a.b.c', '*.c')).toBe(true);
    expect(matchWildcard('ab', 'a*b*c')).toBe(false);
  });

  it('knows a key, notices a changed one, and treats a new host as unknown', () => {
    const { entries } = parseKnownHosts(`[10.0.0.2]:2222,sip.example ssh-ed25519 ${KEY_A}`, 'kh');
    expect(checkHostKey(entries, presented('10.0.0.2', 2222, KEY_A), hash).status).toBe('known');
    expect(checkHostKey(entries, presented('SIP.example', 22, KEY_A), hash).status).toBe('known');
    expect(checkHostKey(entries, presented('10.0.0.2', 2222, KEY_B), hash)).toMatchObject({ status: 'changed', entries: [{ line: 1 }] });
    // Same address, other port: a different server as far as known_hosts is concerned.
    expect(checkHostKey(entries, presented('10.0.0.2', 22, KEY_B), hash).status).toBe('unknown');
  });

  it('matches hashed entries through the injected HMAC', () => {
    const { entries } = parseKnownHosts(hashedLine('[10.0.0.3]:2222', KEY_A), 'kh');
    expect(checkHostKey(entries, presented('10.0.0.3', 2222, KEY_A), hash).status).toBe('known');
    expect(checkHostKey(entries, presented('10.0.0.3', 2222, KEY_B), hash).status).toBe('changed');
    expect(checkHostKey(entries, presented('10.0.0.4', 2222, KEY_A), hash).status).toBe('unknown');
  });

  it('a negated pattern excludes a host the wildcard would include', () => {
    const { entries } = parseKnownHosts(`*.example,!bad.example ssh-ed25519 ${KEY_A}`, 'kh');
    expect(checkHostKey(entries, presented('good.example', 22, KEY_A), hash).status).toBe('known');
    expect(checkHostKey(entries, presented('bad.example', 22, KEY_A), hash).status).toBe('unknown');
  });

  it('refuses a revoked key whatever host it is filed under, even if also trusted', () => {
    const { entries } = parseKnownHosts(`sip.example ssh-ed25519 ${KEY_A}\n@revoked other.example ssh-ed25519 ${KEY_A}`, 'kh');
    expect(checkHostKey(entries, presented('sip.example', 22, KEY_A), hash)).toMatchObject({ status: 'revoked', entry: { line: 2 } });
  });

  it('never lets a @cert-authority line vouch for a plain key', () => {
    const { entries } = parseKnownHosts(`@cert-authority *.example ssh-ed25519 ${KEY_A}`, 'kh');
    expect(checkHostKey(entries, presented('sip.example', 22, KEY_A), hash).status).toBe('unknown');
  });

  it('lists entries of the presented type first when a key changed', () => {
    const { entries } = parseKnownHosts(`h ecdsa-sha2-nistp256 ${KEY_B}\nh ssh-ed25519 ${KEY_B}`, 'kh');
    expect(checkHostKey(entries, presented('h', 22, KEY_A), hash)).toMatchObject({ status: 'changed', entries: [{ line: 2 }] });
    expect(knownKeyTypes(entries, 'h', 22, hash)).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
  });

  it('writes lines OpenSSH reads back', () => {
    const line = formatKnownHostsLine('10.0.0.9', 2222, 'ssh-ed25519', KEY_A);
    expect(line).toBe(`[10.0.0.9]:2222 ssh-ed25519 ${KEY_A}`);
    expect(checkHostKey(parseKnownHosts(line, 'kh').entries, presented('10.0.0.9', 2222, KEY_A), hash).status).toBe('known');
    expect(() => formatKnownHostsLine('a b', 22, 'ssh-ed25519', KEY_A)).toThrow(RangeError);
  });
});
