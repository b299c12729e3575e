import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Name, ServerDraft } from '../../contract/fleet';
import type { FieldIssue } from '../errors';
import { defaultServerDraft } from './defaults';
import { clusterIssues, needsInstall, normalizeServerDraft, rtpIssues, serverIssues, zoneIssues, type FleetContext } from './rules';

type Draft = ServerDraft;

function draft(patch: Partial<Draft> = {}): Draft {
  return { ...defaultServerDraft('zone-eu'), ip: '192.0.2.10', alias: 'edge-1', ...patch };
}

function withConfig(patch: Partial<Draft['config']>, base: Draft = draft()): Draft {
  return { ...base, config: { ...base.config, ...patch } };
}

function withSsh(patch: Partial<Draft['ssh']>, base: Draft = draft()): Draft {
  return { ...base, ssh: { ...base.ssh, ...patch } };
}

const ctx: FleetContext = {
  zones: [
    { id: 'zone-eu', name: 'EU' },
    { id: 'zone-us', name: 'US' },
  ],
  clusters: [
    { id: 'c-main', name: 'Main' },
    { id: 'c-lab', name: 'Lab' },
  ],
  servers: [
    { id: 's-a', ip: '192.0.2.1', alias: 'Switch-A', clusterId: 'c-main' },
    { id: 's-b', ip: '2001:db8::1', alias: 'switch-b', clusterId: 'c-main' },
    { id: 's-lab', ip: '198.51.100.1', alias: 'lab-1', clusterId: 'c-lab' },
    { id: 's-solo', ip: '198.51.100.2', alias: 'solo', clusterId: null },
  ],
};

const fields = (issues: FieldIssue[]) => issues.map((i) => i.field);
const issueOn = (issues: FieldIssue[], field: string) => issues.find((i) => i.field === field);

/** The contract's schema, as the dispatcher applies it before any rule runs. */
function schemaFields(input: unknown): string[] {
  const parsed = ServerDraft.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
}

describe('the contract ServerDraft schema', () => {
  it('accepts a complete draft', () => {
    expect(schemaFields(draft())).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', null, 1_000_001])(
    'refuses channels %s, naming the field',
    (channels) => {
      expect(schemaFields({ ...draft(), channels })).toEqual(['channels']);
    },
  );

  it.each([0, -1, 1.5, Number.NaN, '10', true, 100_001])('refuses cps %s, naming the field', (cps) => {
    expect(schemaFields({ ...draft(), cps })).toEqual(['cps']);
  });

  it('says why, in words', () => {
    const issue = (channels: number) => ServerDraft.safeParse({ ...draft(), channels }).error?.issues[0]?.message;
    expect(issue(0)).toBe('must be at least 1');
    expect(issue(1.5)).toBe('must be a whole number');
  });

  it('accepts any positive whole channels and CPS within the limits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 100_000 }), (channels, cps) => {
        expect(schemaFields({ ...draft(), channels, cps })).toEqual([]);
      }),
    );
  });

  it.each([
    ['udp', 0],
    ['tcp', 65536],
    ['tls', -5061],
    ['udp', 5060.5],
    ['tcp', '5061'],
    ['tls', null],
  ])('refuses port %s = %j on config.ports.%s', (proto, port) => {
    const base = draft();
    expect(schemaFields({ ...base, config: { ...base.config, ports: { ...base.config.ports, [proto]: port } } })).toEqual([
      `config.ports.${proto}`,
    ]);
  });

  it('accepts every port from 1 to 65535', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), (port) => {
        expect(schemaFields(withConfig({ ports: { udp: port, tcp: port, tls: port } }))).toEqual([]);
        expect(schemaFields(withSsh({ port }))).toEqual([]);
      }),
    );
  });

  it('refuses unknown fields at every level', () => {
    expect(schemaFields({ ...draft(), owner: 'x' })).toEqual(['']);
    expect(schemaFields(withConfig({ ...draft().config, extra: true } as Draft['config']))).toEqual(['config']);
  });

  it('refuses an SSH auth method it does not know', () => {
    expect(schemaFields({ ...draft(), ssh: { ...draft().ssh, auth: 'kerberos' } })).toEqual(['ssh.auth']);
  });
});

describe('Name', () => {
  it('trims, and refuses blank and over-long names', () => {
    expect(Name.parse('  EU west ')).toBe('EU west');
    expect(Name.safeParse('   ').success).toBe(false);
    expect(Name.safeParse('x'.repeat(65)).success).toBe(false);
    expect(Name.safeParse('x'.repeat(64)).success).toBe(true);
  });

  it('accepts letters of any script and simple emoji', () => {
    for (const name of ['Zürich-1', '東京', 'edge 🚀', 'Ωmega']) expect(Name.safeParse(name).success).toBe(true);
  });

  it('refuses invisible format characters that make two names look alike', () => {
    for (const name of ['edge\u202E1-', 'edge\u200B1', 'ed\u200Dge', 'a\u2066b']) expect(Name.safeParse(name).success).toBe(false);
  });

  it('refuses any name with a control character inside it', () => {
    const printable = fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((s) => s.trim().length > 0 && /^[^\p{Cc}\p{Cf}\s]/u.test(s) && /[^\p{Cc}\p{Cf}\s]$/u.test(s));
    const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(printable, control, printable, (before, c, after) => {
        expect(Name.safeParse(`${before}${c}${after}`).success).toBe(false);
      }),
    );
  });
});

describe('normalizeServerDraft', () => {
  it('canonicalises the IP and trims the alias', () => {
    const n = normalizeServerDraft(draft({ ip: ' 2001:DB8:0::1 ', alias: '  edge-1 ' }));
    expect(n.ip).toBe('2001:db8::1');
    expect(n.alias).toBe('edge-1');
  });

  it('keeps an invalid IP as typed (trimmed) so the rules can name it', () => {
    expect(normalizeServerDraft(draft({ ip: ' 10.0.0.01 ' })).ip).toBe('10.0.0.01');
  });

  it('lower-cases the FQDN, drops its root dot and turns blanks into null', () => {
    expect(normalizeServerDraft(withConfig({ fqdn: ' SIP1.Example.COM. ' })).config.fqdn).toBe('sip1.example.com');
    expect(normalizeServerDraft(withConfig({ fqdn: '   ' })).config.fqdn).toBeNull();
    expect(normalizeServerDraft(withConfig({ processingZone: ' ' })).config.processingZone).toBeNull();
  });

  it('forgets the failover target when failover is off', () => {
    expect(normalizeServerDraft(withConfig({ capacityFailover: { enabled: false, targetId: 's-a' } })).config.capacityFailover).toEqual({
      enabled: false,
      targetId: null,
    });
  });

  it('turns blank SSH fields into null', () => {
    const n = normalizeServerDraft(withSsh({ host: ' ', keyPath: '', jumpHost: '  ' }));
    expect(n.ssh).toMatchObject({ host: null, keyPath: null, jumpHost: null });
  });

  it('is idempotent', () => {
    const once = normalizeServerDraft(withConfig({ fqdn: 'SIP.example.com.' }, draft({ ip: '2001:DB8::0:1' })));
    expect(normalizeServerDraft(once)).toEqual(once);
  });
});

describe('serverIssues', () => {
  it('finds nothing wrong with a valid server', () => {
    expect(serverIssues(draft(), ctx, null)).toEqual([]);
  });

  it.each(['10.0.0.01', '127.1', '0x7f.0.0.1', '10.0.0.0/8', 'fe80::1%eth0', '192.0.2.1:5060', 'sip.example.com'])(
    'refuses the IP %j and quotes it',
    (ip) => {
      const issue = issueOn(serverIssues(draft({ ip }), ctx, null), 'ip');
      expect(issue?.message).toContain(ip);
      expect(issue?.conflict).toBeUndefined();
    },
  );

  it('refuses an IP already used, as a conflict naming the other server', () => {
    const issue = issueOn(serverIssues(draft({ ip: '192.0.2.1' }), ctx, null), 'ip');
    expect(issue).toMatchObject({ conflict: true });
    expect(issue?.message).toContain('Switch-A');
  });

  it('refuses an IPv6 address already used when written differently', () => {
    for (const ip of ['2001:DB8:0::1', '2001:0db8:0000:0000:0000:0000:0000:0001', ' 2001:db8::0:1']) {
      expect(issueOn(serverIssues(draft({ ip }), ctx, null), 'ip')).toMatchObject({ conflict: true });
    }
  });

  it('lets a server keep its own IP and alias when edited', () => {
    expect(serverIssues(draft({ ip: '192.0.2.1', alias: 'switch-a', clusterId: 'c-main' }), ctx, 's-a')).toEqual([]);
  });

  it('refuses an alias already used, whatever its case and surrounding spaces', () => {
    for (const alias of ['switch-a', 'SWITCH-A', ' Switch-A ']) {
      const issue = issueOn(serverIssues(draft({ alias }), ctx, null), 'alias');
      expect(issue).toMatchObject({ conflict: true });
      expect(issue?.message).toContain('192.0.2.1');
    }
  });

  it('refuses a zone or cluster that does not exist', () => {
    expect(fields(serverIssues(draft({ zoneId: 'zone-mars' }), ctx, null))).toEqual(['zoneId']);
    expect(fields(serverIssues(draft({ clusterId: 'c-gone' }), ctx, null))).toEqual(['clusterId']);
    expect(serverIssues(draft({ clusterId: 'c-lab' }), ctx, null)).toEqual([]);
  });

  it('reports every problem at once', () => {
    const issues = serverIssues(draft({ ip: '192.0.2.1', alias: 'solo', zoneId: 'nowhere' }), ctx, null);
    expect(fields(issues)).toEqual(['ip', 'alias', 'zoneId']);
  });

  describe('FQDN and WebRTC/TLS', () => {
    it('needs an FQDN for WebRTC and TLS, on config.fqdn', () => {
      for (const fqdn of [null, '', '   ']) {
        const issue = issueOn(serverIssues(withConfig({ webrtcTls: true, fqdn }), ctx, null), 'config.fqdn');
        expect(issue?.message).toMatch(/WebRTC/);
      }
      expect(serverIssues(withConfig({ webrtcTls: true, fqdn: 'sip1.example.com' }), ctx, null)).toEqual([]);
    });

    it('needs the FQDN to be fully qualified, and quotes it', () => {
      for (const fqdn of ['sip1', 'localhost', '192.0.2.1', 'sip_1.example.com', 'sip..example.com', 'sip.example.com:5061']) {
        const issue = issueOn(serverIssues(withConfig({ fqdn }), ctx, null), 'config.fqdn');
        expect(issue?.message).toContain(fqdn);
      }
      expect(serverIssues(withConfig({ fqdn: 'sip1.example.com.' }), ctx, null)).toEqual([]);
    });

    it('allows an FQDN without WebRTC/TLS', () => {
      expect(serverIssues(withConfig({ fqdn: 'sip1.example.com', webrtcTls: false }), ctx, null)).toEqual([]);
    });
  });

  describe('capacity failover', () => {
    const field = 'config.capacityFailover.targetId';
    const failover = (targetId: string | null, clusterId: string | null, self: string | null = null) =>
      serverIssues(withConfig({ capacityFailover: { enabled: true, targetId } }, draft({ clusterId })), ctx, self);

    it('accepts another server of the same cluster', () => {
      expect(failover('s-b', 'c-main')).toEqual([]);
      expect(
        serverIssues(
          withConfig(
            { capacityFailover: { enabled: true, targetId: 's-b' } },
            draft({ ip: '192.0.2.1', alias: 'Switch-A', clusterId: 'c-main' }),
          ),
          ctx,
          's-a',
        ),
      ).toEqual([]);
    });

    it('refuses the server itself', () => {
      const issues = serverIssues(
        withConfig(
          { capacityFailover: { enabled: true, targetId: 's-a' } },
          draft({ ip: '192.0.2.1', alias: 'Switch-A', clusterId: 'c-main' }),
        ),
        ctx,
        's-a',
      );
      expect(fields(issues)).toEqual([field]);
    });

    it('refuses a server of another cluster, naming it', () => {
      const issues = failover('s-lab', 'c-main');
      expect(fields(issues)).toEqual([field]);
      expect(issues[0]?.message).toContain('lab-1');
    });

    it('refuses an unclustered target', () => {
      expect(fields(failover('s-solo', 'c-main'))).toEqual([field]);
    });

    it('refuses a missing target and no target', () => {
      expect(fields(failover('s-deleted', 'c-main'))).toEqual([field]);
      expect(fields(failover(null, 'c-main'))).toEqual([field]);
    });

    it('refuses failover for a server outside any cluster', () => {
      const issues = failover('s-solo', null);
      expect(fields(issues)).toEqual([field]);
      expect(issues[0]?.message).toMatch(/cluster/);
    });

    it('ignores the target while failover is off', () => {
      expect(serverIssues(withConfig({ capacityFailover: { enabled: false, targetId: 's-lab' } }), ctx, null)).toEqual([]);
    });
  });

  describe('SSH', () => {
    it('needs a key path for key authentication', () => {
      for (const keyPath of [null, '', '  ']) {
        expect(fields(serverIssues(withSsh({ auth: 'key', keyPath }), ctx, null))).toEqual(['ssh.keyPath']);
      }
      expect(serverIssues(withSsh({ auth: 'key', keyPath: '~/.ssh/id_ed25519' }), ctx, null)).toEqual([]);
      expect(serverIssues(withSsh({ auth: 'agent', keyPath: null }), ctx, null)).toEqual([]);
    });

    it.each(['bastion', 'ops@bastion.example.com', 'ops@bastion:2222', '192.0.2.9:22', 'ops@[2001:db8::9]:2222', '[2001:db8::9]'])(
      'accepts the jump host %j',
      (jumpHost) => {
        expect(serverIssues(withSsh({ jumpHost }), ctx, null)).toEqual([]);
      },
    );

    it.each([
      'ops@',
      '@bastion',
      'ops@bastion:',
      'bastion:ssh',
      'bastion:0',
      'bastion:65536',
      'bastion:99999',
      'two hosts',
      'a@b@c',
      '2001:db8::9',
    ])('refuses the jump host %j and quotes it', (jumpHost) => {
      const issue = issueOn(serverIssues(withSsh({ jumpHost }), ctx, null), 'ssh.jumpHost');
      expect(issue?.message).toContain(jumpHost);
    });

    it('checks the SSH host and user', () => {
      expect(fields(serverIssues(withSsh({ host: 'bad host!' }), ctx, null))).toEqual(['ssh.host']);
      expect(serverIssues(withSsh({ host: 'edge-1.example.com' }), ctx, null)).toEqual([]);
      expect(serverIssues(withSsh({ host: '2001:db8::5' }), ctx, null)).toEqual([]);
      expect(fields(serverIssues(withSsh({ user: 'root; rm -rf /' }), ctx, null))).toEqual(['ssh.user']);
      expect(fields(serverIssues(withSsh({ user: '-oProxyCommand=x' }), ctx, null))).toEqual(['ssh.user']);
    });
  });
});

describe('needsInstall', () => {
  const before = draft({ clusterId: 'c-main' });

  it.each<[string, (d: Draft) => Draft]>([
    ['UDP port', (d) => withConfig({ ports: { ...d.config.ports, udp: 5080 } }, d)],
    ['TLS port', (d) => withConfig({ ports: { ...d.config.ports, tls: 5062 } }, d)],
    ['WebRTC/TLS', (d) => withConfig({ webrtcTls: true, fqdn: 'sip.example.com' }, d)],
    ['FQDN', (d) => withConfig({ fqdn: 'sip.example.com' }, d)],
    ['interconnect', (d) => withConfig({ interconnect: { ...d.config.interconnect, originationEgress: false } }, d)],
    ['UAC auth', (d) => withConfig({ uacAuth: true }, d)],
    ['auto upgrade', (d) => withConfig({ autoUpgrade: true }, d)],
    ['disable UAC ping', (d) => withConfig({ disableUacPing: true }, d)],
    ['UAC location sharing', (d) => withConfig({ uacLocationSharing: true }, d)],
    ['TLS internals', (d) => withConfig({ tlsInternals: true }, d)],
    ['restrict direct', (d) => withConfig({ restrictDirect: true }, d)],
    ['TCP SIP trace', (d) => withConfig({ tcpSipTrace: true }, d)],
    ['AnyReg', (d) => withConfig({ anyReg: true }, d)],
    ['processing zone', (d) => withConfig({ processingZone: 'US' }, d)],
    ['capacity failover', (d) => withConfig({ capacityFailover: { enabled: true, targetId: 's-b' } }, d)],
    ['cluster', (d) => ({ ...d, clusterId: 'c-lab' })],
    ['leaving the cluster', (d) => ({ ...d, clusterId: null })],
  ])('is true when the %s changes', (_what, change) => {
    expect(needsInstall(before, change(before))).toBe(true);
  });

  it.each<[string, (d: Draft) => Draft]>([
    ['alias', (d) => ({ ...d, alias: 'renamed' })],
    ['channels', (d) => ({ ...d, channels: 2000 })],
    ['CPS', (d) => ({ ...d, cps: 50 })],
    ['expiry', (d) => ({ ...d, expiresAt: Date.UTC(2027, 0, 1) })],
    ['admin state', (d) => ({ ...d, adminState: 'stopped' })],
    ['SSH settings', (d) => withSsh({ user: 'ops', port: 2222, auth: 'key', keyPath: '/k', jumpHost: 'bastion' }, d)],
    ['nothing', (d) => ({ ...d })],
  ])('is false when only the %s changes', (_what, change) => {
    expect(needsInstall(before, change(before))).toBe(false);
  });

  it('does not depend on the order the settings were written in', () => {
    const reversed = <T>(value: T): T =>
      value === null || typeof value !== 'object'
        ? value
        : (Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([k, v]) => [k, reversed(v)]),
          ) as T);
    const config = reversed(before.config);
    expect(Object.keys(config)).not.toEqual(Object.keys(before.config));
    expect(needsInstall(before, { ...before, config })).toBe(false);
    expect(needsInstall(before, { ...before, config: { ...config, ports: { ...config.ports, udp: 5099 } } })).toBe(true);
  });

  it('is true for any single boolean setting flipped', () => {
    const flags = [
      'uacAuth',
      'webrtcTls',
      'autoUpgrade',
      'disableUacPing',
      'uacLocationSharing',
      'tlsInternals',
      'restrictDirect',
      'tcpSipTrace',
      'anyReg',
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...flags), (flag) => {
        expect(needsInstall(before, withConfig({ [flag]: !before.config[flag] }, before))).toBe(true);
      }),
    );
  });
});

describe('zoneIssues and clusterIssues', () => {
  it('refuse a name already used, case-insensitively, as a conflict on name', () => {
    for (const name of ['eu', 'EU', ' Eu ']) {
      expect(zoneIssues({ name, description: '' }, ctx.zones, null)).toEqual([
        { field: 'name', message: 'A zone named "EU" already exists.', conflict: true },
      ]);
    }
    expect(clusterIssues({ name: 'MAIN', description: '' }, ctx.clusters, null)).toMatchObject([{ field: 'name', conflict: true }]);
  });

  it('let a record keep its own name, and accept new names', () => {
    expect(zoneIssues({ name: 'eu', description: '' }, ctx.zones, 'zone-eu')).toEqual([]);
    expect(clusterIssues({ name: 'main', description: '' }, ctx.clusters, 'c-main')).toEqual([]);
    expect(zoneIssues({ name: 'APAC', description: '' }, ctx.zones, null)).toEqual([]);
    expect(clusterIssues({ name: 'Backup', description: '' }, ctx.clusters, null)).toEqual([]);
  });

  it('still refuse renaming onto another record', () => {
    expect(zoneIssues({ name: 'us', description: '' }, ctx.zones, 'zone-eu')).toHaveLength(1);
  });
});

describe('rtpIssues', () => {
  const rtp = [{ id: 'r-1', ip: '203.0.113.5', alias: 'Media-LON' }];

  it('accepts a new RTP server', () => {
    expect(rtpIssues({ ip: '203.0.113.6', alias: 'media-nyc', zoneId: 'zone-us' }, rtp, ctx.zones, null)).toEqual([]);
  });

  it('refuses an invalid IP, quoting it', () => {
    const issues = rtpIssues({ ip: '203.0.113.05', alias: 'm', zoneId: 'zone-us' }, rtp, ctx.zones, null);
    expect(issues[0]).toMatchObject({ field: 'ip' });
    expect(issues[0]?.message).toContain('203.0.113.05');
  });

  it('refuses a duplicate IP and a duplicate alias (case-insensitive) as conflicts', () => {
    expect(rtpIssues({ ip: '203.0.113.5', alias: 'other', zoneId: 'zone-us' }, rtp, ctx.zones, null)).toMatchObject([
      { field: 'ip', conflict: true },
    ]);
    expect(rtpIssues({ ip: '203.0.113.9', alias: 'MEDIA-lon', zoneId: 'zone-us' }, rtp, ctx.zones, null)).toMatchObject([
      { field: 'alias', conflict: true },
    ]);
  });

  it('lets an RTP server keep its own IP and alias, and refuses an unknown zone', () => {
    expect(rtpIssues({ ip: '203.0.113.5', alias: 'media-lon', zoneId: 'zone-eu' }, rtp, ctx.zones, 'r-1')).toEqual([]);
    expect(fields(rtpIssues({ ip: '203.0.113.7', alias: 'x', zoneId: 'zone-moon' }, rtp, ctx.zones, null))).toEqual(['zoneId']);
  });
});
