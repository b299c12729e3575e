// A kamailio standing in for demo servers: it answers OPTIONS on ADDRESS:5060 over UDP and
// listens for TCP on ADDRESS:5061 (the reference's default ports) for each address given, so
// those servers show online while the rest of the demo fleet, with nothing listening, shows down.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SipUdpCheck } from '../../src/services/probes/sip-udp';
import { stopperFor } from './stop-child';

export interface DemoKamailio {
  addresses: readonly string[];
  stop(): Promise<void>;
}

export async function startDemoKamailio(addresses: readonly string[] = ['127.0.10.11']): Promise<DemoKamailio> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-demo-kamailio-'));
  const cfg = path.join(dir, 'kamailio.cfg');
  writeFileSync(
    cfg,
    `#!KAMAILIO
debug=1
log_stderror=yes
children=2
tcp_children=2
auto_aliases=no
${addresses.map((a) => `listen=udp:${a}:5060\nlisten=tcp:${a}:5061\n`).join('')}mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "sl.so"
loadmodule "textops.so"
request_route {
    if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
    sl_send_reply("404", "Not here");
}
`,
  );
  const child = spawn('kamailio', ['-f', cfg, '-DD', '-E', '-w', dir, '-P', path.join(dir, 'pid')], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const stop = stopperFor(child, dir);
  const check = new SipUdpCheck();
  try {
    const end = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`kamailio exited (${child.exitCode}); is port 5060 of ${addresses.join(', ')} taken?`);
      const answers = await Promise.all(
        addresses.map((host) =>
          check.check({ serverId: host, host, port: 5060, deadlineMs: 300, intervalMs: 1_000 }, new AbortController().signal),
        ),
      );
      if (answers.every((r) => r.code === 200)) break;
      if (Date.now() > end) throw new Error('kamailio did not answer in 15 s');
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await check.close();
  }
  return { addresses, stop };
}
