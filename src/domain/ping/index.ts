export type { PingFlavor, PingReply, PingResult, PingSummary, StoppedAt } from './types';
export { parsePing, createPingStream, type PingStream } from './reader';
export { pingFlavorOf } from './flavor';
export { formatPingLinux } from './format';
export { pingRows, pingRowsOf, MAX_LOST_ROWS_PER_GAP, type PingRow, type ReplyRowOptions } from './reply-rows';
