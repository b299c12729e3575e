import { describe, expect, it } from 'vitest';
import { checkBaseUrl, parseHttpHost } from './base-url';

describe('checkBaseUrl', () => {
  it('takes https, trimmed of trailing slashes', () => {
    expect(checkBaseUrl('https://apiban.org/', null)).toEqual({ url: 'https://apiban.org' });
    expect(checkBaseUrl('https://mirror.example.net:8443/apiban//', null)).toEqual({ url: 'https://mirror.example.net:8443/apiban' });
  });

  it('refuses plain http unless its exact host and port are allowed', () => {
    expect(checkBaseUrl('http://mirror.example', null)).toMatchObject({ error: expect.stringContaining('unencrypted') });
    expect(checkBaseUrl('http://apiban.org', 'apiban.org')).toMatchObject({
      error: expect.stringContaining('only ever spoken to over https'),
    });
    expect(checkBaseUrl('http://127.0.0.1:8080', '127.0.0.1:9090')).toMatchObject({ error: expect.stringContaining('"127.0.0.1:8080"') });
    expect(checkBaseUrl('http://127.0.0.1:8080', '127.0.0.1')).toMatchObject({ error: expect.stringContaining('unencrypted') });
    expect(checkBaseUrl('http://127.0.0.1:8080/', '127.0.0.1:8080')).toEqual({ url: 'http://127.0.0.1:8080' });
    expect(checkBaseUrl('http://LAB.example:80', 'lab.example')).toEqual({ url: 'http://lab.example' });
  });

  it('refuses other schemes, credentials, queries and fragments', () => {
    expect(checkBaseUrl('ftp://apiban.org', null)).toMatchObject({ error: 'must start with https://' });
    expect(checkBaseUrl('https://u:p@apiban.org', null)).toMatchObject({ error: expect.stringContaining('user name or password') });
    expect(checkBaseUrl('https://apiban.org/?x=1', null)).toMatchObject({ error: expect.stringContaining('query') });
    expect(checkBaseUrl('apiban.org', null)).toMatchObject({ error: expect.stringContaining('is not a URL') });
  });
});

describe('parseHttpHost', () => {
  it('reads a host with an optional port', () => {
    expect(parseHttpHost(' 127.0.0.1:8080 ')).toEqual({ host: '127.0.0.1:8080' });
    expect(parseHttpHost('Lab.Example')).toEqual({ host: 'lab.example' });
  });

  it('refuses what is not a host, and apiban.org itself', () => {
    expect(parseHttpHost('http://127.0.0.1:8080')).toMatchObject({ error: expect.stringContaining('is not a host name') });
    expect(parseHttpHost('127.0.0.1:8080/path')).toMatchObject({ error: expect.stringContaining('is not a host name') });
    expect(parseHttpHost('apiban.org')).toMatchObject({ error: expect.stringContaining('always spoken to over https') });
    expect(parseHttpHost('www.apiban.org:80')).toMatchObject({ error: expect.stringContaining('always spoken to over https') });
    expect(parseHttpHost('  ')).toMatchObject({ error: expect.stringContaining('is empty') });
  });
});
