// Logs a process's memory every 15 s, split as V8 and Node see it (RSS, heap used and reserved,
// external, array buffers), to MEMORY_TRACE_DIR/memory-PID.log (default the system's temp
// folder). Preloaded into every node a benchmark starts, `serve` included:
//
//   NODE_OPTIONS=--import=./test/bench/lib/memory-trace.mjs node --import tsx test/bench/fleet-10k.ts --steady 420
//
// The lows of "heap" (just after full collections) are what the process keeps; the highs are
// garbage not yet collected. Plain JavaScript, so it loads before tsx in any process.
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const started = Date.now();
const file = path.join(process.env.MEMORY_TRACE_DIR ?? tmpdir(), `memory-${process.pid}.log`);
const what = process.argv
  .slice(1, 3)
  .map((a) => path.basename(a))
  .join(' ');
const mb = (bytes) => Math.round(bytes / 1e6);

setInterval(() => {
  const m = process.memoryUsage();
  const line =
    `${new Date().toISOString()} +${Math.round((Date.now() - started) / 1000)}s ${what}: ` +
    `rss ${mb(m.rss)} heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)} MB\n`;
  appendFileSync(file, line);
}, 15_000).unref();
