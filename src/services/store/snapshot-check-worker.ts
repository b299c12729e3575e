// The body of the worker thread that looks inside a snapshot file nobody here vouches for. It is
// plain JavaScript in a string, run with `new Worker(source, { eval: true })`: a worker does not
// share the TypeScript loader of the tests and the CLI, and an eval'd body needs no separate
// bundle entry in the desktop build. It imports nothing of ours, only better-sqlite3 by the
// absolute path the parent resolved.
//
// Order matters. The first query reads `sqlite_schema` only (parsing a view is not running it).
// `schema_migrations` and `snapshot_meta` are read only once they are exactly our tables with
// nothing attached to them, and the integrity check runs only once every entry of the schema is
// exactly what the migrations of that version create. After that, no query can take longer than
// reading the file once, which is what the deadline is sized for. A query that is still running
// when the deadline passes keeps its thread busy until SQLite returns (no interrupt reaches it),
// which is why nothing unbounded may ever be started here.

export const SNAPSHOT_CHECK_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { modulePath, nativeBinding, expected, latest, maxPages } = workerData;

const same = (a, b) => a.type === b.type && a.name === b.name && a.tbl === b.tbl && a.sql === b.sql;
// Names come from the file: shortened and stripped of control characters before any message shows them.
const shown = (text, length = 60) => String(text).replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, length);
const unexpected = (detail) => ({ kind: 'unexpected-schema', detail });

// withSaver: the table has saved_by (snapshots saved since the saver is recorded).
function readMeta(db, withSaver) {
  const saver = withSaver ? 'substr(saved_by, 1, 120)' : 'NULL';
  const row = db
    .prepare('SELECT format, taken_at, substr(app_version, 1, 64) AS app_version, schema_version, substr(note, 1, 2000) AS note, length(counts) AS counts_length, CASE WHEN length(counts) <= 4096 THEN counts END AS counts, ' + saver + ' AS saved_by FROM snapshot_meta WHERE id = 1')
    .get();
  if (row === undefined) return null;
  const ints = [row.format, row.taken_at, row.schema_version].every((v) => Number.isSafeInteger(v));
  if (!ints || typeof row.app_version !== 'string' || typeof row.note !== 'string' || typeof row.counts !== 'string') return 'bad';
  if (row.saved_by !== null && typeof row.saved_by !== 'string') return 'bad';
  let counts;
  try {
    counts = JSON.parse(row.counts);
  } catch {
    return 'bad';
  }
  if (counts === null || typeof counts !== 'object' || Array.isArray(counts)) return 'bad';
  const clean = {};
  for (const key of ['servers', 'clusters', 'zones', 'rtpServers', 'samples', 'toolRuns', 'actionRuns']) {
    const v = counts[key];
    clean[key] = Number.isSafeInteger(v) && v >= 0 ? v : 0;
  }
  return { format: row.format, takenAt: row.taken_at, appVersion: row.app_version, schemaVersion: row.schema_version, note: row.note, counts: clean, savedBy: row.saved_by };
}

function check(file, quickCheck) {
  const Database = require(modulePath);
  const db = new Database(file, nativeBinding ? { readonly: true, fileMustExist: true, nativeBinding } : { readonly: true, fileMustExist: true });
  try {
    // Before any page is read: SQL stored in the file may not call functions with side effects,
    // every cell's size is checked against its page, and nothing may be written.
    db.pragma('trusted_schema = OFF');
    db.pragma('cell_size_check = ON');
    db.pragma('query_only = ON');
    const pages = db.pragma('page_count', { simple: true });
    if (!(pages <= maxPages)) return { kind: 'corrupt', detail: 'it has ' + pages + ' pages, more than the ' + maxPages + ' a snapshot may have' };
    const rows = db.prepare('SELECT type, name, tbl_name AS tbl, sql FROM sqlite_schema LIMIT 10001').all();
    if (rows.length > 10000) return unexpected('its schema has more than 10000 entries');
    const byName = new Map(rows.map((r) => [r.name, r]));
    const ours = [expected.migrationsTable, ...expected.snapshotMetas];
    for (const r of rows) {
      if ((r.tbl === 'schema_migrations' || r.tbl === 'snapshot_meta' || r.name === 'schema_migrations' || r.name === 'snapshot_meta') && !ours.some((e) => same(r, e))) {
        return unexpected('its ' + shown(r.type) + ' ' + shown(r.name) + ' is not one Switchyard writes');
      }
    }
    if (!byName.has('schema_migrations')) return { kind: 'foreign' };
    const version = db.prepare('SELECT max(version) AS v FROM schema_migrations').get().v ?? 0;
    if (!Number.isSafeInteger(version)) return unexpected('its schema version is not a number');
    // Which of our snapshot_meta tables this is (the loop above refused any other).
    const metaEntry = byName.has('snapshot_meta') ? expected.snapshotMetas.find((e) => same(byName.get('snapshot_meta'), e)) : undefined;
    const meta = metaEntry ? readMeta(db, metaEntry === expected.snapshotMetas[0]) : null;
    if (meta === 'bad') return { kind: 'corrupt', detail: 'its snapshot metadata is not what Switchyard writes' };
    if (version > latest) {
      return meta === null ? { kind: 'live-database', schemaVersion: version } : { kind: 'snapshot', meta: Object.assign(meta, { schemaVersion: version }) };
    }
    const wanted = expected.versions[version];
    if (wanted === undefined) return unexpected('schema version ' + version + ' is not one Switchyard ever had');
    const allowed = new Map(wanted.map((e) => [e.name, e]));
    allowed.set('snapshot_meta', metaEntry ?? expected.snapshotMetas[0]);
    for (const e of expected.optional) if (!allowed.has(e.name)) allowed.set(e.name, e);
    for (const r of rows) {
      const e = allowed.get(r.name);
      if (e === undefined) return unexpected('it has a ' + shown(r.type) + ' named ' + shown(r.name) + ' that no snapshot of schema version ' + version + ' has');
      if (!same(r, e)) return unexpected('its ' + shown(r.type) + ' ' + shown(r.name) + ' is not defined the way Switchyard defines it');
    }
    for (const e of wanted) if (!byName.has(e.name)) return unexpected('it lacks the ' + e.type + ' ' + e.name);
    if (quickCheck) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') return { kind: 'corrupt', detail: shown(result, 200) };
    }
    if (meta === null) return { kind: 'live-database', schemaVersion: version };
    return { kind: 'snapshot', meta: Object.assign(meta, { schemaVersion: version }) };
  } finally {
    db.close();
  }
}

function run(file, quickCheck) {
  try {
    return check(file, quickCheck);
  } catch (error) {
    return { kind: 'corrupt', detail: shown(error instanceof Error ? error.message : error, 200) };
  }
}

if (workerData.oneShot) {
  // The blocking caller waits on the flag, then takes the answer from its port.
  const { file, quickCheck, port, flag } = workerData.oneShot;
  port.postMessage(run(file, quickCheck));
  const signal = new Int32Array(flag);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
} else {
  // The host's worker stays for the next file (starting one costs more than most checks); it is
  // replaced only when a check overruns its deadline.
  parentPort.on('message', (request) => parentPort.postMessage({ id: request.id, result: run(request.file, request.quickCheck) }));
}
`;
