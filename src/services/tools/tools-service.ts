// Ping and MTR runs for the console: started from this workstation or a fleet server, streamed
// to the UI as throttled updates, kept in the history (raw output and parsed result), cancelled,
// exported; and pasted text read by the same parsers and kept beside the live runs.
import { randomUUID } from 'node:crypto';
import type { Server } from '../../contract/fleet';
import type {
  ExportFormat,
  MtrHop,
  PingReply,
  PingSummary,
  ToolName,
  ToolRun,
  ToolRunBrief,
  ToolRunUpdate,
} from '../../contract/tools-methods';
import { conflict, DomainError, invalid, notFound } from '../../domain/errors';
import { checkTarget, MtrParams, PingParams } from '../../domain/tools';
import type { Store } from '../store/store';
import type { ToolRunRecord } from '../store/tool-runs-repo';
import { parsePastedInput, sipParams, sipTarget, type PastedSource } from './pasted';
import { requireParams, requireTarget } from './run-outcome';
import { briefOf, exportRun, runOf } from './run-records';
import { runMtr } from './run-mtr';
import { runPing } from './run-ping';
import { createLocalRunner, type ToolRunner } from './tool-runner';

export interface ToolsServiceDeps {
  store: Store;
  clock: () => number;
  emit: (update: ToolRunUpdate) => void;
  /** The fleet server with this id, or null. */
  serverById: (id: string) => Server | null;
  /** Runs an argv on a fleet server over the pooled SSH connection. */
  remoteRunner: (server: Server) => ToolRunner;
  localRunner?: ToolRunner;
  newId?: () => string;
  /** At most one update per run in this many ms (a 0.2 s ping or a busy mtr would flood the UI). */
  throttleMs?: number;
  /** Runs allowed at once (the `maxConcurrentToolRuns` setting); absent: no limit. */
  maxConcurrentRuns?: () => number;
  /**
   * False while a snapshot is shown: a run is then read from the snapshot's stored record alone,
   * never mixed with the progress of a live run that happens to carry the same id.
   */
  liveShown?: () => boolean;
}

export interface StartRequest {
  source: string;
  target: string;
  params?: Record<string, number | undefined> | undefined;
}

interface Live {
  tool: ToolName;
  target: string;
  controller: AbortController;
  replies: PingReply[];
  summary: PingSummary | null;
  hops: MtrHop[];
  done: Promise<void>;
}

export const LOCAL_SOURCE = 'local';
export const PASTED_SOURCE = 'pasted';

export function createToolsService(deps: ToolsServiceDeps) {
  const runs = deps.store.toolRuns;
  const newId = deps.newId ?? randomUUID;
  const throttleMs = deps.throttleMs ?? 150;
  const localRunner = deps.localRunner ?? createLocalRunner();
  const live = new Map<string, Live>();

  runs.failInterrupted(deps.clock(), 'Switchyard stopped while this run was going; what it printed until then was not kept.');

  const label = (source: string): string => {
    if (source === LOCAL_SOURCE) return 'this workstation';
    if (source === PASTED_SOURCE) return 'pasted';
    const server = deps.serverById(source);
    return server ? `${server.alias} (${server.ip})` : `a removed server (${source})`;
  };

  function start(tool: ToolName, request: StartRequest): ToolRunBrief {
    // Everything a user can get wrong is refused here, before any process or connection exists.
    const target = requireTarget(request.target);
    const params = tool === 'ping' ? requireParams(PingParams, clean(request.params)) : requireParams(MtrParams, clean(request.params));
    const limit = deps.maxConcurrentRuns?.() ?? Infinity;
    if (live.size >= limit) {
      throw conflict(
        'source',
        `This host already has ${limit === 1 ? 'its 1 ping or MTR run' : `its ${limit} ping and MTR runs`} going at once ` +
          '(the limit set in Settings → Tools): wait for one to finish or cancel one, then start this one.',
      );
    }
    let runner = localRunner;
    if (request.source !== LOCAL_SOURCE) {
      const server = deps.serverById(request.source);
      if (!server) throw invalid('source', `No fleet server has the id ${request.source}; pick this workstation or a server of the fleet.`);
      runner = deps.remoteRunner(server);
    }
    const record: ToolRunRecord = {
      id: newId(),
      tool,
      source: request.source,
      target: target.text,
      params,
      startedAt: deps.clock(),
      endedAt: null,
      status: 'running',
      rawOutput: '',
      result: null,
      error: null,
    };
    runs.insert(record);
    const entry: Live = {
      tool,
      target: target.text,
      controller: new AbortController(),
      replies: [],
      summary: null,
      hops: [],
      done: Promise.resolve(),
    };
    live.set(record.id, entry);
    entry.done = execute(record, entry, runner, params);
    return briefOf(record, label);
  }

  async function execute(record: ToolRunRecord, entry: Live, runner: ToolRunner, params: PingParams | MtrParams): Promise<void> {
    const lines: string[] = [];
    let unsent: PingReply[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = (extra: Partial<ToolRunUpdate> = {}) => {
      clearTimeout(timer);
      timer = undefined;
      const update: ToolRunUpdate = { runId: record.id, tool: entry.tool, status: 'running', ...extra };
      if (record.tool === 'ping') {
        update.replies = unsent;
        if (entry.summary) update.summary = entry.summary;
        unsent = [];
      } else {
        update.hops = entry.hops;
      }
      deps.emit(update);
    };
    const schedule = () => {
      timer ??= setTimeout(() => flush(), throttleMs);
    };
    const common = { target: record.target, runner, signal: entry.controller.signal, onLine: (line: string) => lines.push(line) };
    let finished: Pick<ToolRunRecord, 'status' | 'rawOutput' | 'result' | 'error'>;
    try {
      const outcome =
        record.tool === 'ping'
          ? await runPing({
              ...common,
              params,
              onReply: (reply, soFar) => {
                entry.replies.push(reply);
                entry.summary = soFar;
                unsent.push(reply);
                schedule();
              },
            })
          : await runMtr({
              ...common,
              params,
              onHops: (hops) => {
                entry.hops = hops;
                schedule();
              },
            });
      finished = { status: outcome.status, rawOutput: outcome.raw, result: outcome.result, error: outcome.error ?? null };
      if (record.tool === 'ping') entry.summary = (outcome.result as { summary: PingSummary }).summary;
      else entry.hops = (outcome.result as { hops: MtrHop[] }).hops;
    } catch (error) {
      // A missing tool, a refused host key, a lost connection: the run failed, with the reason.
      const message = error instanceof Error ? error.message : String(error);
      finished = {
        status: entry.controller.signal.aborted ? 'cancelled' : 'failed',
        rawOutput: lines.map((l) => `${l}\n`).join(''),
        result: null,
        error: message,
      };
    }
    const endedAt = deps.clock();
    live.delete(record.id);
    try {
      runs.update(record.id, { ...finished, endedAt });
    } catch {
      // The host closed under a cancelled run; nothing is left to write to.
    }
    flush({ status: finished.status, error: finished.error, endedAt });
  }

  function get(id: string): ToolRun {
    const record = runs.get(id);
    if (!record) throw notFound('Tool run', id);
    const run = runOf(record, label);
    const entry = deps.liveShown?.() === false ? undefined : live.get(id);
    // A run still going: what has arrived so far, so a window opened mid-run shows it.
    if (entry?.tool === 'ping' && entry.summary)
      run.ping = { target: record.target, replies: [...entry.replies], summary: entry.summary, errors: [] };
    if (entry?.tool === 'mtr') run.mtr = { target: record.target, hops: entry.hops };
    return run;
  }

  return {
    startPing: (request: StartRequest) => start('ping', request),
    startMtr: (request: StartRequest) => start('mtr', request),
    cancel(id: string): { cancelled: boolean } {
      const entry = live.get(id);
      if (!entry) {
        if (!runs.get(id)) throw notFound('Tool run', id);
        return { cancelled: false };
      }
      entry.controller.abort();
      return { cancelled: true };
    },
    /** The runs still going, as the operator would name them ("ping to 127.0.0.1"). */
    running: (): string[] => [...live.values()].map((e) => `${e.tool === 'ping' ? 'ping' : 'MTR'} to ${e.target}`),
    list: (limit?: number): ToolRunBrief[] => runs.listRecent(limit ?? 100).map((item) => briefOf(item, label)),
    get,
    delete(id: string): { deleted: number } {
      if (live.has(id)) throw conflict('id', 'This run is still going: cancel it before deleting it.');
      if (!runs.delete(id)) throw notFound('Tool run', id);
      return { deleted: 1 };
    },
    export: (id: string, format: ExportFormat) => exportRun(get(id), format),
    parsePasted: (input: PastedSource) => parsePastedInput(input),
    savePasted(input: PastedSource & { target?: string | undefined }): ToolRunBrief {
      const parsed = parsePastedInput(input);
      if (parsed.kind === 'unknown') throw invalid('text', `Not saved. ${parsed.reason ?? ''}`.trim());
      const result = parsed.kind === 'ping' ? parsed.ping : parsed.kind === 'mtr' ? parsed.mtr : parsed.sip;
      let target =
        (parsed.sip ? sipTarget(parsed.sip) : undefined) ??
        parsed.ping?.target ??
        parsed.mtr?.target ??
        parsed.ping?.address ??
        'unknown target';
      if (input.target !== undefined && input.target.trim() !== '') {
        const check = checkTarget(input.target.trim());
        if (!check.ok) throw new DomainError('invalid-input', check.reason, { field: 'target' });
        target = check.target.text;
      }
      const now = deps.clock();
      const params = parsed.sip
        ? sipParams(parsed.sip, parsed.encoding)
        : { flavor: parsed.flavor ?? '', encoding: parsed.encoding, ...(parsed.language ? { language: parsed.language } : {}) };
      const record: ToolRunRecord = {
        id: newId(),
        tool: parsed.kind,
        source: PASTED_SOURCE,
        target: target.slice(0, 253),
        params,
        startedAt: now,
        endedAt: now,
        status: 'done',
        rawOutput: parsed.text,
        result,
        error: null,
      };
      runs.insert(record);
      return briefOf(record, label);
    },
    /** Cancels every run and waits for the processes and channels to go (the host is closing). */
    async close(): Promise<void> {
      const pending = [...live.values()];
      for (const entry of pending) entry.controller.abort();
      await Promise.all(pending.map((e) => e.done));
    },
    /** Resolves when the run has finished and been stored (tests, and close). */
    settled: (id: string): Promise<void> => live.get(id)?.done ?? Promise.resolve(),
  };
}

export type ToolsService = ReturnType<typeof createToolsService>;

/** Leaves out parameters the form left empty, so the defaults apply. */
function clean(params: Record<string, number | undefined> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined) out[k] = v;
  return out;
}
