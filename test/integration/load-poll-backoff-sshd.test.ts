import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import type { HostApp } from '../../src/host/app';
import { addServers, writeRecipes } from '../helpers/actions-fixtures';
import { call } from '../helpers/fleet-fixtures';
import { freePort } from '../helpers/free-port';
import { openLoadPollLab, type LoadPollLab } from '../helpers/load-poll-lab';
import { startSshd, TEST_PASSWORD, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';

// The load poll's backoff through the real pool against a real sshd: a server whose SSH port
// refuses (nothing listens there) and one whose password is not entered yet are tried less and
// less often, their errors reported as before; moving the server to the sshd's port, or entering
// the password, brings it back to a reading. The poll runs every 300 ms here; the schedule itself
// (1, 2, 4 … cycles, the cap, the alert rule) is checked on a fake clock in
// test/unit/load-poll-backoff.test.ts.

let sshd: Sshd;
let lab: LoadPollLab;
let app: HostApp;
let refusing: Server;
let noPassword: Server;
let closedPort: number;

function editable(s: Server) {
  const { id: _id, status: _status, installRecommended: _ir, updatePending: _up, createdAt: _c, updatedAt: _u, ...rest } = s;
  return rest;
}

beforeAll(async () => {
  sshd = await startSshd({ addresses: ['127.0.0.33', '127.0.0.34'] });
  closedPort = await freePort();
  lab = await openLoadPollLab({
    sshd,
    prefix: 'switchyard-load-backoff-',
    writeRecipes: (file) =>
      writeRecipes(file, {}, [
        'sh',
        '-c',
        `printf '{"load":[0.5,0.25,0.1],"memory":{"totalKb":1000,"availableKb":400},"uptimeSec":1234,"channels":3,"pendingUpdates":0}\\n'`,
      ]),
    seed: async (host) => {
      const [first, second] = await addServers(host, sshd.addresses, closedPort);
      refusing = first!;
      noPassword = await call(host, 'fleet:update-server', {
        id: second!.id,
        draft: { ...editable(second!), ssh: { ...second!.ssh, port: sshd.port, auth: 'password', keyPath: null } },
      });
    },
    loadIntervalMs: 300,
  });
  app = lab.app;
}, 60_000);

afterAll(async () => {
  await lab?.close();
  await sshd?.stop();
});

const loads = () => lab.wiring.handlerDeps.loads;

describe('load polls back off from servers SSH cannot reach, through the real pool and sshd', () => {
  it('a refused port: tries space out, the refusal stays reported; moving to the sshd port brings a reading', async () => {
    const state = await until('three refused polls in a row', () => {
      const s = loads().backoffOf(refusing.id);
      return s !== null && s.failures >= 3 ? s : null;
    });
    // The third failure in a row sits out at least three cycles (four, less up to a quarter).
    expect(state.skipCycles).toBeGreaterThanOrEqual(2);
    expect(loads().history(refusing.id)).toMatchObject({ samples: [] });
    expect(loads().history(refusing.id).error).toMatch(/^Load of sw-01 could not be read: .*refused the connection/);

    await call(app, 'fleet:update-server', {
      id: refusing.id,
      draft: { ...editable(refusing), ssh: { ...refusing.ssh, port: sshd.port } },
    });
    const history = await until('a reading after the port was corrected', () => {
      const h = loads().history(refusing.id);
      return h.samples.length > 0 ? h : null;
    });
    expect(history.error).toBeNull();
    expect(history.samples[0]).toMatchObject({ load: [0.5, 0.25, 0.1], channels: 3 });
    expect(loads().backoffOf(refusing.id)).toBeNull();
  });

  it('no password entered: backs off; entering it starts the server over at once and it is read', async () => {
    await until('three polls in a row without a password', () => (loads().backoffOf(noPassword.id)?.failures ?? 0) >= 3);
    expect(loads().history(noPassword.id).error).toMatch(/uses a password, and none is stored/);
    lab.wiring.handlerDeps.serverSecrets.set(noPassword.id, 'password', TEST_PASSWORD);
    expect(loads().backoffOf(noPassword.id)).toBeNull();
    const history = await until('a reading with the password', () => {
      const h = loads().history(noPassword.id);
      return h.samples.length > 0 ? h : null;
    });
    expect(history.error).toBeNull();
  });
});
