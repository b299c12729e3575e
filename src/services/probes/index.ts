/** Probes: check types, the ICMP backend, the scheduler and the batched sample writer. */
export { AbortedError, type Check, type ProbeResult, type ProbeTarget } from './check';
export { closeChecks, createChecks, type CheckDeps, type CheckMap } from './checks';
export { systemClock, type Clock, type TimerHandle } from './clock';
export { createIcmpCheck, detectIcmpBackend, type IcmpBackend, type IcmpBackendName } from './icmp-backend';
export { FpingCheck, type FpingOptions } from './icmp-fping';
export { PingCheck, pingArgs, type PingPlatform } from './icmp-ping';
export { SampleWriter, type SampleSink, type SampleWriterOptions } from './sample-writer';
export { ProbeScheduler, type MonitoredServer, type SchedulerOptions, type SchedulerStats } from './scheduler';
export { normalizeFingerprint, SipStreamCheck } from './sip-stream';
export { SipUdpCheck } from './sip-udp';
export { TcpConnectCheck } from './tcp-connect';
