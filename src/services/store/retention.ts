// How long each resolution of the samples is kept. Its own file so the repository and the series
// reader share it without importing each other.
export interface RetentionPolicy {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}
