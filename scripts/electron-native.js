#!/usr/bin/env node
// Builds better-sqlite3 for the installed Electron into .electron-native/better_sqlite3.node.
//
// Two runtimes need two builds: node_modules/better-sqlite3/build/Release holds the one for Node
// (tests, `switchyard serve`); the desktop app loads this one through better-sqlite3's
// `nativeBinding` option. The package is copied to a temporary folder and built there, so the
// Node build is never touched. A stamp file records what was built: nothing is rebuilt until
// the Electron or better-sqlite3 version (or the platform or architecture) changes.
//
// The SIP probes' sipmmsg addon needs none of this: it is written against N-API alone, whose ABI
// is stable across Node and Electron releases, so the file scripts/build-sipmmsg.js compiles for
// Node (against Node's headers, offline) is the one Electron loads. Electron's headers, which
// cannot be reached from here, are not involved; it is copied to .electron-native/sipmmsg.node
// for packaging, whatever becomes of the better-sqlite3 build.
//
// Usage: node scripts/electron-native.js [--force] [--check] [--arch=<arch>]
//   --check  only report: exit 0 when the build is present and current, 1 otherwise.
//   --force  rebuild even when the stamp says the build is current.

import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSipMmsg, SIPMMSG_ADDON } from './build-sipmmsg.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const NATIVE_DIR = path.join(root, '.electron-native');
export const NATIVE_FILE = path.join(NATIVE_DIR, 'better_sqlite3.node');
const STAMP_FILE = path.join(NATIVE_DIR, 'stamp.json');

/** Electron's headers, the same place @electron/rebuild uses. */
const ELECTRON_HEADERS = 'https://electronjs.org/headers';
/** A compile takes about a minute; a download that has not finished in this long will not. */
const PREBUILT_TIMEOUT_MS = 60_000;
const COMPILE_TIMEOUT_MS = 15 * 60_000;

function versionOf(pkg) {
  return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
}

/** What the build must match; any change means a rebuild. */
export function wantedStamp(arch = process.arch) {
  return {
    electron: versionOf('electron'),
    betterSqlite3: versionOf('better-sqlite3'),
    platform: process.platform,
    arch,
  };
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP_FILE, 'utf8'));
  } catch {
    return null;
  }
}

export function isCurrent(wanted) {
  const stamp = readStamp();
  return existsSync(NATIVE_FILE) && stamp !== null && Object.keys(wanted).every((key) => stamp[key] === wanted[key]);
}

/** Runs a command to completion with a time limit; resolves with its exit code (null if killed). */
function run(command, args, { cwd, timeoutMs, label }) {
  return new Promise((resolve) => {
    process.stdout.write(`[electron-native] ${label}\n`);
    const child = spawn(command, args, {
      cwd,
      stdio: 'inherit',
      // Its own process group, so a timeout can stop the tool and whatever it spawned.
      detached: process.platform !== 'win32',
    });
    const timer = setTimeout(() => {
      process.stdout.write(`[electron-native] ${label}: no result after ${timeoutMs / 1000} s, stopped.\n`);
      try {
        if (process.platform === 'win32') child.kill();
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Copies the package's sources (not its Node build) into a fresh folder. */
function stageSources() {
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const stage = mkdtempSync(path.join(os.tmpdir(), 'switchyard-native-'));
  const target = path.join(stage, 'better-sqlite3');
  cpSync(source, target, {
    recursive: true,
    filter: (file) => {
      const relative = path.relative(source, file);
      return relative !== 'build' && !relative.startsWith(`build${path.sep}`) && relative !== 'node_modules';
    },
  });
  return { stage, target };
}

export async function buildForElectron({ arch = process.arch, force = false } = {}) {
  const wanted = wantedStamp(arch);
  if (!force && isCurrent(wanted)) {
    process.stdout.write(
      `[electron-native] better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (${arch}) is up to date.\n`,
    );
    return true;
  }
  const { stage, target } = stageSources();
  try {
    const built = path.join(target, 'build', 'Release', 'better_sqlite3.node');
    // A prebuilt binary first (seconds, from GitHub); a compile against Electron's headers if not.
    const prebuilt = await run(
      process.execPath,
      [
        require.resolve('prebuild-install/bin.js'),
        '--runtime=electron',
        `--target=${wanted.electron}`,
        `--arch=${arch}`,
        `--platform=${process.platform}`,
      ],
      { cwd: target, timeoutMs: PREBUILT_TIMEOUT_MS, label: `Fetching a prebuilt better-sqlite3 for Electron ${wanted.electron}...` },
    );
    if (prebuilt !== 0 || !existsSync(built)) {
      const compiled = await run(
        process.execPath,
        [
          require.resolve('node-gyp/bin/node-gyp.js'),
          'rebuild',
          '--release',
          `--target=${wanted.electron}`,
          `--arch=${arch}`,
          `--dist-url=${ELECTRON_HEADERS}`,
        ],
        { cwd: target, timeoutMs: COMPILE_TIMEOUT_MS, label: `Compiling better-sqlite3 against Electron ${wanted.electron} headers...` },
      );
      if (compiled !== 0 || !existsSync(built)) {
        process.stderr.write(
          '[electron-native] Could not build better-sqlite3 for Electron: no prebuilt binary could be\n' +
            `  downloaded and compiling needs Electron's headers from ${ELECTRON_HEADERS}, which could not\n` +
            '  be reached either. The Node build used by tests and `npm run serve` is untouched.\n',
        );
        return false;
      }
    }
    mkdirSync(NATIVE_DIR, { recursive: true });
    copyFileSync(built, NATIVE_FILE);
    writeFileSync(STAMP_FILE, `${JSON.stringify(wanted, null, 2)}\n`);
    process.stdout.write(`[electron-native] Wrote ${path.relative(root, NATIVE_FILE)} for Electron ${wanted.electron} (${arch}).\n`);
    return true;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

async function main(argv) {
  const archFlag = argv.find((arg) => arg.startsWith('--arch='));
  const arch = archFlag === undefined ? process.arch : archFlag.slice('--arch='.length);
  if (argv.includes('--check')) {
    const current = isCurrent(wantedStamp(arch));
    process.stdout.write(`[electron-native] ${current ? 'up to date' : 'missing or out of date'}: ${path.relative(root, NATIVE_FILE)}\n`);
    return current ? 0 : 1;
  }
  // N-API: the Node build is Electron's too (see above); only a cross-architecture package lacks it.
  if (arch === process.arch && buildSipMmsg()) {
    mkdirSync(NATIVE_DIR, { recursive: true });
    copyFileSync(SIPMMSG_ADDON, path.join(NATIVE_DIR, 'sipmmsg.node'));
  }
  return (await buildForElectron({ arch, force: argv.includes('--force') })) ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
