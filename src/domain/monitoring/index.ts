/** Pure monitoring code: samples, status, rollups and the probe slot plan. No IO. */
export { isFlaggedCode, isProbeKind, PROBE_KINDS, SIP_KINDS, type ProbeKind, type Sample } from './sample';
export { medianOf } from './median';
export {
  DEFAULT_THRESHOLDS,
  deriveStatus,
  StatusThresholds,
  type MonitorStatus,
  type StatusInput,
  type StatusReason,
  type StatusVerdict,
} from './status';
export { bucketLowerMs, bucketOf, bucketUpperMs, decodeHistogram, encodeHistogram, HISTOGRAM_SIZE } from './histogram';
export {
  addSample,
  answered,
  emptyRollup,
  lossPct,
  meanMs,
  mergeInto,
  mergeRollups,
  percentileMs,
  percentileOfHistogram,
  quantilesMs,
  stddevMs,
  type Rollup,
} from './rollup';
export { clampInterval, DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, nextDue, reslot, SlotPlan, type SlotPlanOptions } from './slot-plan';
export { parseFpingLine, scanFpingLine, type FpingLine } from './fping-line';
