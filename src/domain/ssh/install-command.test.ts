import { describe, expect, it } from 'vitest';
import { checkInstallCommand, installCommandKind, installCommandProblem } from './install-command';

describe('install command', () => {
  it.each([
    '/opt/sip/install.sh',
    '/usr/local/sbin/switchyard-install',
    '/srv/images/v1.2+b3/install_all.sh',
    'https://images.example.net/sip/install.sh',
    'https://example.net:8443/i?v=2&t=abc',
  ])('accepts %s', (command) => expect(installCommandProblem(command)).toBeNull());

  it.each([
    ['', /is empty/],
    ['   ', /is empty/],
    ['install.sh', /neither an absolute path nor an https:\/\/ URL/],
    ['./install.sh', /neither an absolute path/],
    ['~/install.sh', /neither an absolute path/],
    ['/opt/install.sh --force', /"a space" is not allowed/],
    ['/opt/install.sh;reboot', /";" is not allowed/],
    ['/opt/$(id).sh', /"\$" is not allowed/],
    ['/opt/`id`.sh', /"`" is not allowed/],
    ['/opt/sip/', /names a folder/],
    ['/opt/a.sh\nreboot', /control character/],
    ['http://example.net/install.sh', /plain http/],
    ['ftp://example.net/install.sh', /neither an absolute path nor an https/],
    ['https://user:pw@example.net/i.sh', /must not carry a user name or password/],
    ['https://example.net/i.sh; reboot', /space, quote or shell character/],
    ['https://example.net/$(id)', /space, quote or shell character/],
    ['https://', /not a valid URL|no host name/],
    ['/' + 'a'.repeat(3000), /at most 2048/],
  ])('refuses %j', (command, message) => expect(installCommandProblem(command)).toMatch(message));

  it('names the field it refuses and says what it is', () => {
    expect(() => checkInstallCommand('curl x | sh', 'command', "The fleet's install command")).toThrow(
      /^The fleet's install command "curl x \| sh" is neither/,
    );
    try {
      checkInstallCommand('x', 'params.installScript');
    } catch (error) {
      expect((error as { field?: string }).field).toBe('params.installScript');
    }
    expect(checkInstallCommand('  /opt/i.sh ', 'command')).toBe('/opt/i.sh');
    expect(installCommandKind('/opt/i.sh')).toBe('path');
    expect(installCommandKind('https://example.net/i.sh')).toBe('https');
  });
});
