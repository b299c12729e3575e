import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { buildOptions } from './options';
import { optionsTemplate } from './options-template';

describe('OPTIONS template', () => {
  it('renders exactly what the builder makes with the same identifiers', () => {
    fc.assert(
      fc.property(
        fc.record({
          host: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('sip.example.com')),
          port: fc.integer({ min: 1, max: 65535 }),
          localHost: fc.oneof(fc.ipV4(), fc.ipV6()),
          localPort: fc.integer({ min: 1, max: 65535 }),
          transport: fc.constantFrom('udp' as const, 'tcp' as const, 'tls' as const),
        }),
        fc.stringMatching(/^[0-9a-f]{12}$/),
        fc.stringMatching(/^[0-9a-f]{16}$/),
        fc.integer({ min: 0, max: 2147483647 }),
        (params, branchHex, callId, cseq) => {
          // The builder draws branch, Call-ID and From tag in that order; the template keeps its From tag.
          const template = optionsTemplate({ ...params, version: '2.0.1' });
          const ids = [branchHex, callId, template.fromTag];
          const built = buildOptions({ ...params, cseq, version: '2.0.1' }, () => ids.shift() ?? '');
          expect(template.render(branchHex, callId, cseq)).toBe(built.text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('validates once, as the builder does', () => {
    expect(() =>
      optionsTemplate({ host: 'not a host', port: 5060, transport: 'udp', localHost: '127.0.0.1', localPort: 1, version: '1' }),
    ).toThrow(DomainError);
  });
});
