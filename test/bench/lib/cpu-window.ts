// The measuring window of the in-process engine benchmarks (sip-engine, sip-floor, tcp-connect):
// a warm-up, then a window whose process CPU and wall time are taken, with `measuring` on only
// inside it so the benchmark's own tallies count the same stretch.

export interface CpuWindow {
  /** User and system CPU of this process over the window, µs. */
  cpu: NodeJS.CpuUsage;
  wallS: number;
}

export async function measureWindow(warmupS: number, windowS: number, measuring: (on: boolean) => void): Promise<CpuWindow> {
  await new Promise((r) => setTimeout(r, warmupS * 1_000));
  measuring(true);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await new Promise((r) => setTimeout(r, windowS * 1_000));
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - wall0) / 1_000;
  measuring(false);
  return { cpu, wallS };
}
