// Ping and MTR runs in the renderer: the live view of a run (fed by `tools:run-update`), the
// history list, and the commands (start, cancel, delete, export). One store for the Tools page
// and the server page's Tools tab, so a run started on one is seen live on the other.
import type {
  ExportFormat,
  HistoryKind,
  MtrHop,
  MtrResult,
  PingReply,
  PingResult,
  PingSummary,
  SipInspection,
  ToolName,
  ToolRun,
  ToolRunBrief,
  ToolRunStatus,
  ToolRunUpdate,
} from '../../../contract/tools-methods';
import { api } from '../api';
import { downloadText } from '../download';

/** One side of a result view or a comparison: a live run, a stored one, or pasted text. */
export interface RunSide {
  key: string;
  tool: HistoryKind;
  /** 'this workstation', 'eu-sw1 (192.0.2.10)', 'pasted'. */
  sourceLabel: string;
  target: string;
  status: ToolRunStatus;
  ping: PingResult | null;
  mtr: MtrResult | null;
  /** A SIP message kept from a paste: shown in the inspector, never compared. */
  sip?: SipInspection | null;
}

const EMPTY_SUMMARY: PingSummary = {
  sent: 0,
  received: 0,
  duplicates: 0,
  errors: 0,
  lossPct: 0,
  minMs: null,
  avgMs: null,
  maxMs: null,
  stddevMs: null,
};

export class RunView {
  readonly id: string;
  readonly tool: HistoryKind;
  #brief = $state.raw<ToolRunBrief>();
  #replies = $state.raw<PingReply[]>([]);
  #summary = $state.raw<PingSummary | null>(null);
  #hops = $state.raw<MtrHop[]>([]);
  #sip = $state.raw<SipInspection | null>(null);
  #status = $state<ToolRunStatus>('running');
  #error = $state<string | null>(null);
  #raw = $state('');

  constructor(brief: ToolRunBrief) {
    this.id = brief.id;
    this.tool = brief.tool;
    this.#brief = brief;
    this.#status = brief.status;
    this.#error = brief.error;
  }

  static of(run: ToolRun): RunView {
    const view = new RunView(run);
    view.load(run);
    return view;
  }

  get brief(): ToolRunBrief {
    return this.#brief as ToolRunBrief;
  }
  get status(): ToolRunStatus {
    return this.#status;
  }
  get error(): string | null {
    return this.#error;
  }
  get raw(): string {
    return this.#raw;
  }
  get running(): boolean {
    return this.#status === 'running';
  }

  readonly side: RunSide = $derived.by(() => this.#makeSide());

  #makeSide(): RunSide {
    return {
      key: this.id,
      tool: this.tool,
      sourceLabel: this.brief.sourceLabel,
      target: this.brief.target,
      status: this.#status,
      ping:
        this.tool === 'ping'
          ? { target: this.brief.target, replies: this.#replies, summary: this.#summary ?? EMPTY_SUMMARY, errors: [] }
          : null,
      mtr: this.tool === 'mtr' ? { target: this.brief.target, hops: this.#hops } : null,
      sip: this.#sip,
    };
  }

  apply(update: ToolRunUpdate): void {
    if (update.replies && update.replies.length > 0) this.#replies = [...this.#replies, ...update.replies];
    if (update.summary) this.#summary = update.summary;
    if (update.hops) this.#hops = update.hops;
    this.#status = update.status;
    if (update.error !== undefined) this.#error = update.error;
  }

  /** The stored run (after it ended, or when opened from the history). */
  load(run: ToolRun): void {
    this.#brief = run;
    this.#status = run.status;
    this.#error = run.error;
    this.#raw = run.rawOutput;
    if (run.ping) {
      this.#replies = run.ping.replies;
      this.#summary = run.ping.summary;
    }
    if (run.mtr) this.#hops = run.mtr.hops;
    this.#sip = run.sip;
  }
}

export interface StartInput {
  source: string;
  target: string;
  params: Record<string, number | undefined>;
}

class ToolRuns {
  #history = $state.raw<ToolRunBrief[]>([]);
  #loaded = $state(false);
  #views = new Map<string, RunView>();
  /** Updates of runs not known yet, kept while a start call is awaited. */
  #early: ToolRunUpdate[] = [];
  #starting = 0;
  #started = false;

  get history(): ToolRunBrief[] {
    return this.#history;
  }
  get loaded(): boolean {
    return this.#loaded;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    api.on('tools:run-update', (update) => {
      const view = this.#views.get(update.runId);
      if (!view && this.#starting > 0) this.#early.push(update);
      view?.apply(update);
      if (update.status !== 'running') void this.#finished(update.runId, view);
    });
    void this.refresh();
  }

  async refresh(): Promise<void> {
    this.#history = await api.call('tools:list-runs', { limit: 200 });
    this.#loaded = true;
  }

  async run(tool: ToolName, input: StartInput): Promise<RunView> {
    const params = Object.fromEntries(Object.entries(input.params).filter(([, v]) => v !== undefined)) as Record<string, number>;
    // The answer and the run's updates travel apart: a run that ends at once (a name that does
    // not resolve) can send its updates first. They are kept while a start is awaited.
    this.#starting += 1;
    let brief: ToolRunBrief;
    try {
      brief = await api.call(tool === 'ping' ? 'tools:start-ping' : 'tools:start-mtr', {
        source: input.source,
        target: input.target,
        params,
      });
    } finally {
      this.#starting -= 1;
    }
    const view = new RunView(brief);
    const early = this.#early.filter((u) => u.runId === brief.id);
    this.#early = this.#starting > 0 ? this.#early.filter((u) => u.runId !== brief.id) : [];
    this.#history = [brief, ...this.#history.filter((b) => b.id !== brief.id)];
    for (const update of early) view.apply(update);
    if (early.some((u) => u.status !== 'running')) void this.#finished(brief.id, view);
    else this.#views.set(brief.id, view);
    return view;
  }

  /** A run's view: the live one when it is going, else the stored run. */
  async open(id: string): Promise<RunView> {
    const known = this.#views.get(id);
    if (known) return known;
    const view = RunView.of(await api.call('tools:get-run', { id }));
    if (view.running) this.#views.set(id, view);
    return view;
  }

  async cancel(id: string): Promise<void> {
    await api.call('tools:cancel', { id });
  }

  async remove(id: string): Promise<void> {
    await api.call('tools:delete-run', { id });
    this.#history = this.#history.filter((b) => b.id !== id);
  }

  async download(id: string, format: ExportFormat): Promise<void> {
    const file = await api.call('tools:export-run', { id, format });
    downloadText(file.fileName, file.text, file.mime);
  }

  /** Adds a saved paste to the list without a round trip. */
  added(brief: ToolRunBrief): void {
    this.#history = [brief, ...this.#history];
  }

  async #finished(id: string, view: RunView | undefined): Promise<void> {
    if (view) {
      try {
        view.load(await api.call('tools:get-run', { id }));
      } catch {
        // Deleted meanwhile: the view keeps what it showed.
      }
      this.#views.delete(id);
    }
    await this.refresh();
  }
}

export const toolRuns = new ToolRuns();
