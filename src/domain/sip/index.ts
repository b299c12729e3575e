/** Pure SIP code: OPTIONS probes (build, parse, match) and the message inspector. No IO. */
export { canonicalHeaderName, isListHeader } from './compact-forms';
export { inspectSip, type SipInspection } from './inspect';
export {
  answersProbe,
  headerValue,
  headerValues,
  matchKey,
  parseSipMessage,
  type ParseResult,
  type ProbeIds,
  type SipHeader,
  type SipMatchKey,
  type SipMessage,
} from './message';
export { buildOptions, OptionsParams, SipTransport, type OptionsRequest } from './options';
export type { SipProblem, SipProblemCode, SipProblemSeverity } from './problems';
export { cryptoRandomHex, sequentialRandomHex, type RandomHex } from './random';
export { MAX_MESSAGE_BYTES } from './scan';
