// The alert storm benchmark's receiver, run in its own process inside the benchmark's network
// namespace: a plain HTTP server that answers 200 and notes when each POST arrived and how many
// alerts it carried. On SIGTERM it prints what it saw as one JSON line.
import http from 'node:http';
import { flag } from './lib/report';

const PORT = Number(flag('port') ?? 18080);
const seen: { at: number; firing: number; ids: number[] }[] = [];

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = Date.now();
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { counts?: { firing?: number }; alerts?: { id: number }[] };
      seen.push({ at, firing: body.counts?.firing ?? 0, ids: (body.alerts ?? []).map((a) => a.id) });
    } catch {
      seen.push({ at, firing: -1, ids: [] });
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
});
server.listen(PORT, '127.0.0.1', () => process.stderr.write(`sink listening on ${PORT}\n`));
process.once('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify(seen)}\n`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
