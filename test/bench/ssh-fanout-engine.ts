// The measured side of the SSH fan-out benchmark: one run of a server action, in a process of its
// own started fresh for every run, so nothing carries over between runs (no pooled connection, no
// warm JIT) and every one of the targets pays its TCP connect, key exchange, host-key check and
// public-key authentication inside the timed window.
//
// It is the whole action path of the console: the host opened on a temporary data folder, the
// servers added through the contract, `actions:run` dispatched (plan, audit log in SQLite, fan-out
// without canary, the app's SSH pool, connect with the host key checked against the app's own
// known_hosts), until the run's last `actions:run-update` arrives. The action's recipe is
// overridden to run `uptime`, as an operator may override it in settings. Setting up the folder,
// the database and the servers happens before the clock starts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventPayload } from '../../src/contract/events';
import { openHost } from '../../src/host/app';
import { addServers, seedKnownHosts, watchRuns, writeRecipes } from '../helpers/actions-fixtures';
import { call } from '../helpers/fleet-fixtures';
import { TEST_USER } from '../helpers/sshd';
import { loopbackTarget } from './lib/netns';
import { flag } from './lib/report';

export interface FanOutRunResult {
  wallS: number;
  /** From the process's start to the clock's start (Node, tsx, database, servers): not counted. */
  setupS: number;
  cpuS: number;
  status: string;
  /** Targets whose run exited 0 and printed uptime's "load average". */
  answered: number;
  total: number;
  /** Host-key prompts raised: must be 0, or a connection would have waited for an operator. */
  prompts: number;
  failures: string[];
}

const TARGETS = Number(flag('targets') ?? 100);
const CONCURRENCY = Number(flag('concurrency') ?? 20);
const PORT = Number(flag('port'));
const KEY = flag('key');
if (!Number.isInteger(PORT) || PORT <= 0 || !KEY)
  throw new Error('usage: ssh-fanout-engine.ts --port PORT --key PRIVATE_KEY [--targets N] [--concurrency N]');

const addresses = Array.from({ length: TARGETS }, (_, i) => loopbackTarget(i));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-ssh-'));
// An empty home: the operator's own ~/.ssh (config, known_hosts) must not shape the run.
const home = path.join(dataDir, 'home');
mkdirSync(home);
seedKnownHosts(dataDir, addresses, PORT);
const recipesFile = path.join(dataDir, 'recipes.json');
writeRecipes(recipesFile, { start: ['uptime'] });

const app = openHost({ dataDir, sshHomeDir: home, log: (m) => process.stderr.write(`${m}\n`), actions: { recipesFile, user: 'bench' } });
try {
  let prompts = 0;
  // Every key is on file, so a prompt means the check did not find it: refuse it at once (the
  // target then fails and the benchmark says so) rather than wait out the prompt's timeout.
  app.events.on((name, payload) => {
    if (name !== 'ssh:host-key-prompt') return;
    prompts += 1;
    void app.dispatch('ssh:answer-host-key', { promptId: (payload as EventPayload<'ssh:host-key-prompt'>).promptId, accept: false });
  });
  const runs = watchRuns(app);
  const servers = await addServers(app, addresses, PORT, {
    ssh: { host: null, port: PORT, user: TEST_USER, auth: 'key', keyPath: KEY, jumpHost: null },
  });

  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  // performance.now() counts from the process's start.
  const setupS = wall0 / 1_000;
  const run = await call(app, 'actions:run', {
    action: 'start',
    serverIds: servers.map((s) => s.id),
    options: { canary: false, stopOnFailure: false, concurrency: CONCURRENCY },
  });
  await runs.finished(run.id, 60_000);
  const wallS = (performance.now() - wall0) / 1_000;
  const cpu = process.cpuUsage(cpu0);

  const logged = await call(app, 'actions:get-run', { id: run.id });
  const answered = logged.results.filter((r) => r.state === 'done' && r.exitCode === 0 && r.output.includes('load average')).length;
  const failures = logged.results.filter((r) => r.state !== 'done').map((r) => `${r.ip}: ${r.state} ${r.error ?? ''}`.trim());
  const result: FanOutRunResult = {
    wallS,
    setupS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    status: logged.status,
    answered,
    total: logged.results.length,
    prompts,
    failures,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
