#!/usr/bin/env node
// Builds the sipmmsg addon (native/sipmmsg/sipmmsg.c: batched UDP for the SIP OPTIONS probes and
// the epoll TCP connect prober)
// into native/sipmmsg/build/sipmmsg.node with one C compiler line, offline.
//
// It is written against node_api.h alone (N-API 8), whose ABI is stable: the one file built
// here loads in this Node and in Electron alike, so no Electron headers are needed (they cannot
// be downloaded here) and scripts/electron-native.js has nothing to rebuild for it. Node's
// headers come from the Debian nodejs package (/usr/include/node), beside the running node, or
// from node-gyp's cache.
//
// Runs from `npm install` (postinstall) and `npm test`; nothing is compiled while the build is
// newer than the source. Without a compiler or headers it says so and exits 0: the probes then
// use Node's own UDP sockets, which give the same results at a higher CPU cost.
//
// Usage: node scripts/build-sipmmsg.js [--force] [--strict]
//   --force   compile even when the build is current.
//   --strict  exit 1 when the addon cannot be built (tests that need it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(root, 'native/sipmmsg/sipmmsg.c');
export const SIPMMSG_ADDON = path.join(root, 'native/sipmmsg/build/sipmmsg.node');

function headerDirs() {
  return [
    process.env.SWITCHYARD_NODE_HEADERS,
    '/usr/include/node',
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
    path.join(os.homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
  ].filter((dir) => dir !== undefined && dir !== '');
}

function log(message) {
  process.stdout.write(`[sipmmsg] ${message}\n`);
}

/** True when the addon is present and built after its source last changed. */
export function isCurrent() {
  return existsSync(SIPMMSG_ADDON) && statSync(SIPMMSG_ADDON).mtimeMs >= statSync(SOURCE).mtimeMs;
}

/** Compiles the addon; resolves true when a current build is in place afterwards. */
export function buildSipMmsg({ force = false } = {}) {
  if (process.platform !== 'linux') {
    log('sendmmsg/recvmmsg are Linux calls: not built; the probes use Node sockets.');
    return false;
  }
  if (!force && isCurrent()) return true;
  const include = headerDirs().find((dir) => existsSync(path.join(dir, 'node_api.h')));
  if (include === undefined) {
    log(`no node_api.h in ${headerDirs().join(', ')}: not built; the probes use Node sockets.`);
    return false;
  }
  const compiler = process.env.CC || 'cc';
  const partial = `${SIPMMSG_ADDON}.${process.pid}.tmp`;
  mkdirSync(path.dirname(SIPMMSG_ADDON), { recursive: true });
  const args = [
    '-std=gnu11',
    '-O2',
    '-fPIC',
    '-shared',
    '-Wall',
    '-Wextra',
    '-fvisibility=hidden',
    '-DNAPI_VERSION=8',
    '-DNODE_GYP_MODULE_NAME=sipmmsg',
    `-I${include}`,
    SOURCE,
    '-o',
    partial,
  ];
  const started = Date.now();
  const run = spawnSync(compiler, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0 || !existsSync(partial)) {
    rmSync(partial, { force: true });
    log(`${compiler} failed (${run.error?.message ?? `exit ${run.status}`}): not built; the probes use Node sockets.`);
    return false;
  }
  // A rename, so a process loading the addon meanwhile never reads half a file.
  renameSync(partial, SIPMMSG_ADDON);
  log(`built ${path.relative(root, SIPMMSG_ADDON)} in ${((Date.now() - started) / 1000).toFixed(1)} s (headers: ${include}).`);
  return true;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const built = buildSipMmsg({ force: argv.includes('--force') });
  process.exitCode = built || !argv.includes('--strict') ? 0 : 1;
}
