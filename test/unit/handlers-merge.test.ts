// The host's handler map is merged with the duplicate guard: building it with the real area files
// gives exactly one handler per contract method.
import { describe, expect, it } from 'vitest';
import { methodNames } from '../../src/contract/methods';
import { createHandlers, type HandlerDeps } from '../../src/host/handlers';

describe('host handlers', () => {
  it('binds each contract method exactly once', () => {
    // The area factories only close over their services; none is called while the map is built.
    const handlers = createHandlers({} as HandlerDeps);
    expect(Object.keys(handlers).sort()).toEqual([...methodNames].sort());
  });
});
