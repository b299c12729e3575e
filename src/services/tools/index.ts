/** Local (and later remote) runs of ping and mtr, streamed, parsed and cancellable. */
export { runPing, type PingRun, type PingRunRequest } from './run-ping';
export { runMtr, type MtrChange, type MtrRun, type MtrRunRequest } from './run-mtr';
export { requireTarget, type RunOutcome, type RunStatus } from './run-outcome';
export {
  createLocalRunner,
  spawnTool,
  type LocalRunnerOptions,
  type SpawnTool,
  type ToolExit,
  type ToolProcess,
  type ToolRunner,
  type ToolRunOptions,
} from './tool-runner';
export { createRemoteRunner, remoteArgv, type RemoteExec } from './remote-runner';
export { createLineSplitter } from './lines';
export { missingTool, permissionDenied, ToolError, type ToolErrorKind } from './tool-errors';
