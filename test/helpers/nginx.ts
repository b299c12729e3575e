import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort } from './free-port';
import { until } from './until';

// Debian's nginx as a TLS-terminating reverse proxy on loopback, in front of a team host: its own
// prefix, configuration, pid and temp folders under the test's folder, run as a child in the
// foreground (`daemon off`, one process) and stopped by its pid; no system service is touched.
// The proxy block is the one docs/team-host.md gives.

export interface Nginx {
  port: number;
  errorLog(): string;
  stop(): Promise<void>;
}

export async function startNginx(options: {
  dir: string;
  backendPort: number;
  cert: string;
  key: string;
  serverName: string;
}): Promise<Nginx> {
  const dir = path.join(options.dir, 'nginx');
  for (const sub of ['logs', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
  const port = await freePort();
  const config = `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${port} ssl;
    server_name ${options.serverName};
    ssl_certificate ${options.cert};
    ssl_certificate_key ${options.key};
    location / {
      proxy_pass http://127.0.0.1:${options.backendPort};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 1h;
    }
  }
}
`;
  writeFileSync(path.join(dir, 'nginx.conf'), config);
  const child: ChildProcess = spawn(
    '/usr/sbin/nginx',
    ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'logs/error.log')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => {
    try {
      return stderr + readFileSync(path.join(dir, 'logs/error.log'), 'utf8');
    } catch {
      return stderr;
    }
  };
  await until(`nginx listening on ${port} (${errorLog()})`, () => child.exitCode === null && portOpen(port), 10_000);
  return {
    port,
    errorLog,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
