import { errorMessage } from '../domain/error-message';
/**
 * Work the host does on its own (probes, load polling, scheduled jobs). It runs only while the
 * live fleet is shown: opening a snapshot stops all of it, returning to the live fleet starts it
 * again, and a host started on a snapshot never starts it at all.
 */
export interface BackgroundTask {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export class Background {
  readonly #tasks: BackgroundTask[] = [];
  #running = false;

  /** @param allowed false for a host that must never do background work (a snapshot, a test). */
  constructor(
    private readonly allowed: boolean,
    private readonly log: (message: string) => void,
  ) {}

  get running(): boolean {
    return this.#running;
  }

  add(task: BackgroundTask): void {
    this.#tasks.push(task);
    if (this.#running) void this.#call(task, 'start');
  }

  async start(): Promise<void> {
    if (!this.allowed || this.#running) return;
    this.#running = true;
    await Promise.all(this.#tasks.map((t) => this.#call(t, 'start')));
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    await Promise.all(this.#tasks.map((t) => this.#call(t, 'stop')));
  }

  async #call(task: BackgroundTask, what: 'start' | 'stop'): Promise<void> {
    try {
      await task[what]();
    } catch (error) {
      this.log(`[switchyard] background ${task.name} failed to ${what}: ${errorMessage(error)}`);
    }
  }
}
