#!/usr/bin/env node
// `npm start`: builds and launches the Switchyard desktop app.
//
// 1. Find the Electron runtime. The electron npm package does not contain it: the first
//    `require('electron')` downloads it from GitHub. That happens in a child process with a time
//    limit, so a machine that cannot reach GitHub gets a plain answer quickly, not a stack trace.
// 2. Build better-sqlite3 for Electron (scripts/electron-native.js; skipped when current).
// 3. Build main, preload and renderer with electron-vite.
// 4. Launch Electron on the app folder. Arguments after `--` are passed on
//    (`npm start -- --read-only`).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildForElectron } from './electron-native.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The download is about 100 MB; on a line that cannot fetch it in this time, say so and stop. */
const RUNTIME_TIMEOUT_MS = 60_000;

/**
 * Runs a command; resolves with its exit code, or null when it failed to start or timed out.
 * `capture` collects stdout and stderr instead of showing them.
 */
function run(command, args, { capture = false, timeoutMs, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      // Own process group, so a timeout stops the downloader the child itself started.
      detached: timeoutMs !== undefined && process.platform !== 'win32',
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              if (process.platform === 'win32') child.kill();
              else process.kill(-child.pid, 'SIGKILL');
            } catch {
              // Already gone.
            }
          }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}${error.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? null : code, output, timedOut });
    });
  });
}

/** Path of the Electron executable, downloading it on first use; null with a reason otherwise. */
async function resolveElectronRuntime() {
  const result = await run(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    capture: true,
    timeoutMs: RUNTIME_TIMEOUT_MS,
  });
  const lines = result.output.trim().split('\n');
  const executable = lines.at(-1)?.trim() ?? '';
  if (result.code === 0 && executable !== '' && existsSync(executable)) return { executable };
  const network = lines.find((line) => /fetch failed|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN|status code|checksum/i.test(line));
  const reason = result.timedOut
    ? `the download did not finish within ${RUNTIME_TIMEOUT_MS / 1000} s`
    : network !== undefined
      ? `GitHub could not be reached: ${network.trim().slice(0, 160)}`
      : (lines.find((line) => line.trim() !== '') ?? 'no reason given').trim().slice(0, 200);
  return { executable: null, reason };
}

function explainMissingRuntime(reason) {
  const electronVersion = require('electron/package.json').version;
  process.stderr.write(
    [
      '',
      'Switchyard cannot start the desktop app: the Electron runtime is missing.',
      '',
      `  The electron package (${electronVersion}) is installed, but the runtime it needs is`,
      '  downloaded separately from GitHub the first time the app starts, and that download',
      `  could not be completed here (${reason}).`,
      '',
      '  - On a machine with internet access, `npm start` fetches it once and then starts.',
      '  - Otherwise, `npm run serve` gives the same console in a browser.',
      '',
    ].join('\n'),
  );
}

async function main() {
  const runtime = await resolveElectronRuntime();
  if (runtime.executable === null) {
    explainMissingRuntime(runtime.reason);
    return 1;
  }
  if (!(await buildForElectron())) return 1;

  // By path: the package's "exports" do not expose its bin file to require.resolve.
  const electronVite = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const build = await run(process.execPath, [electronVite, 'build']);
  if (build.code !== 0) return build.code ?? 1;

  // Electron must start as Electron, even if the shell was set up to run it as Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const app = await run(runtime.executable, ['.', ...process.argv.slice(2)], { env });
  return app.code ?? 1;
}

process.exitCode = await main();
