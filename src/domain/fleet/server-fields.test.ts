import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ServerDraft } from '../../contract/fleet';
import { zodError } from '../../host/dispatch';
import { defaultServerDraft } from './defaults';
import { checkServerDraft } from './server-draft-check';
import { SERVER_FIELD_LABELS, labelIssue, labelIssues, serverFieldOf, serverFieldTab } from './server-fields';

/** Every leaf path of a zod object schema, walking nested objects through nullable/default wrappers. */
function leafPaths(schema: z.ZodType, prefix = ''): string[] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodNullable || inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) => leafPaths(child, `${prefix}${key}.`));
  }
  return [prefix.slice(0, -1)];
}

const ctx = { servers: [{ id: 's1', ip: '10.0.0.1', alias: 'sw-1', clusterId: null }], zones: [{ id: 'z1', name: 'EU' }], clusters: [] };
const draft = () => ({ ...defaultServerDraft('z1'), ip: '10.0.0.2', alias: 'sw-2' });

describe('server field labels', () => {
  it("labels every field of the contract's server draft, and nothing else", () => {
    const paths = leafPaths(ServerDraft);
    expect(paths.length).toBeGreaterThan(30);
    const missing = paths.filter((p) => !(p in SERVER_FIELD_LABELS));
    expect(missing).toEqual([]);
    expect(Object.keys(SERVER_FIELD_LABELS).sort()).toEqual([...paths].sort());
  });

  it("gives each field its own label, in a person's words (no dots, no camelCase)", () => {
    const labels = Object.values(SERVER_FIELD_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    for (const [path, label] of Object.entries(SERVER_FIELD_LABELS)) {
      expect(label).not.toMatch(/\./);
      expect(label).not.toBe(path.split('.').pop());
    }
  });

  it("maps the host's paths, with or without the update's draft wrapper, to the form's field", () => {
    expect(serverFieldOf('draft.config.ports.udp')).toBe('config.ports.udp');
    expect(serverFieldOf('channels')).toBe('channels');
    expect(serverFieldOf('id')).toBeNull();
    expect(serverFieldOf('draft.config')).toBeNull();
    expect(serverFieldTab('config.ports.udp')).toBe('config');
    expect(serverFieldTab('ssh.port')).toBe('summary');
  });
});

describe('labelIssue', () => {
  it("turns the host's schema refusal of an update into words beside the field", () => {
    const parsed = z.strictObject({ id: z.string(), draft: ServerDraft }).safeParse({
      id: 'a',
      draft: { ...draft(), channels: -5, config: { ...draft().config, ports: { udp: 70000, tcp: 5061, tls: 5061 } } },
    });
    expect(parsed.success).toBe(false);
    const error = zodError(parsed.error!);
    const { labelled, other } = labelIssues(error.issues ?? []);
    expect(other).toEqual([]);
    expect(labelled).toEqual([
      { field: 'channels', label: 'Channels', message: 'Channels must be at least 1.' },
      { field: 'config.ports.udp', label: 'UDP port', message: 'UDP port must be 1–65535.' },
    ]);
    for (const l of labelled) expect(l.message).not.toMatch(/draft\.|config\./);
  });

  it("keeps the domain's own sentences, and leaves what names no field aside", () => {
    expect(labelIssue({ field: 'ip', message: 'IP 10.0.0.1 is already used by server "sw-1".' })?.message).toBe(
      'IP 10.0.0.1 is already used by server "sw-1".',
    );
    expect(labelIssue({ field: 'id', message: 'id must be an identifier.' })).toBeNull();
    const { labelled, other } = labelIssues([
      { field: 'cps', message: 'cps must be at least 1.' },
      { field: 'ip', message: 'first' },
      { field: 'ip', message: 'second' },
      { field: 'input', message: 'The input must be object.' },
    ]);
    expect(labelled.map((l) => [l.field, l.message])).toEqual([
      ['ip', 'first'],
      ['cps', 'CPS must be at least 1.'],
    ]);
    expect(other).toEqual([{ field: 'input', message: 'The input must be object.' }]);
  });
});

describe('checkServerDraft', () => {
  it('reports every problem at once, schema and rules alike, in form order', () => {
    const bad = {
      ...draft(),
      ip: '999.1.1.1',
      alias: '',
      channels: -5,
      cps: 1.5,
      ssh: { ...draft().ssh, port: 0 },
      config: { ...draft().config, webrtcTls: true, ports: { udp: 70000, tcp: 5061, tls: 5061 } },
    };
    const issues = checkServerDraft(bad, ctx, null);
    expect(issues.map((i) => i.field)).toEqual(['ip', 'alias', 'channels', 'cps', 'ssh.port', 'config.fqdn', 'config.ports.udp']);
    expect(issues.find((i) => i.field === 'alias')?.message).toBe('Alias is required.');
    expect(issues.find((i) => i.field === 'cps')?.message).toBe('CPS must be a whole number.');
    expect(issues.find((i) => i.field === 'ssh.port')?.message).toBe('SSH port must be 1–65535.');
    expect(issues.find((i) => i.field === 'ip')?.message).toMatch(/999\.1\.1\.1/);
  });

  it('says a cleared number box is a number to fill in, and finds clashes with the fleet', () => {
    const issues = checkServerDraft({ ...draft(), ip: '10.0.0.1', channels: null as unknown as number }, ctx, null);
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['ip', 'IP 10.0.0.1 is already used by server "sw-1".'],
      ['channels', 'Channels must be a number.'],
    ]);
    expect(checkServerDraft(draft(), ctx, null)).toEqual([]);
  });
});
