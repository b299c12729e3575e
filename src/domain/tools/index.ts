/** Pure rules for network tool runs: which targets and parameters may reach a process, and its argv. */
export { checkTarget, MAX_TARGET_LENGTH, SHELL_METACHARACTERS, type TargetCheck, type ValidTarget } from './target';
export { describeParamsError, MtrParams, PingParams, ToolParams } from './params';
export { mtrArgv, pingArgv, type MtrOutputMode } from './argv';
export { compareRuns, type Comparison, type RunFigures } from './compare';
