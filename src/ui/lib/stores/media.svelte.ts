// Media server selection in the console: every server's media zone (null: automatic), and the
// Media path tool's form, its live progress and the last ranking.
import type { MediaMeasurement, MediaProgress, MediaSsh } from '../../../contract/media-methods';
import { api, callError } from '../api';

export type MediaField = 'customer' | 'carrier' | 'serverId' | 'rtp' | 'form';

class MediaZones {
  #zones = $state.raw<ReadonlyMap<string, string | null>>(new Map());
  #started = false;

  /** The server's media zone: a zone id, null for automatic, undefined before the first read. */
  of(serverId: string): string | null | undefined {
    return this.#zones.get(serverId);
  }

  /** Reads once and again whenever servers change (here or in another console). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.refresh();
    api.on('fleet:changed', ({ entity }) => {
      if (entity === 'servers' || entity === 'zones' || entity === 'all') void this.refresh();
    });
    api.on('app:changed', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    try {
      const list = await api.call('media:zones', {});
      this.#zones = new Map(list.map((z) => [z.serverId, z.zoneId]));
    } catch {
      // An older snapshot without media zones, or the link is down: every server shows automatic.
      this.#zones = new Map();
    }
  }

  /** Sets it; throws the host's refusal (CallFailed) for the caller to show beside the control. */
  async set(serverId: string, zoneId: string | null): Promise<void> {
    const saved = await api.call('media:set-zone', { serverId, zoneId });
    this.#zones = new Map([...this.#zones, [saved.serverId, saved.zoneId]]);
  }
}

export const mediaZones = new MediaZones();

export class MediaPathState {
  customer = $state('');
  carrier = $state('');
  /** The SIP server the zone is for ('' for none); the carrier's end when no carrier is given. */
  serverId = $state('');
  #running = $state(false);
  #progress = $state<MediaProgress | null>(null);
  #result = $state.raw<MediaMeasurement | null>(null);
  #errors = $state<Partial<Record<MediaField, string>>>({});
  #pendingId: string | null = null;

  get running() {
    return this.#running;
  }
  get progress() {
    return this.#progress;
  }
  get result() {
    return this.#result;
  }
  get errors() {
    return this.#errors;
  }

  /** Follows progress events of the measurement this console started; returns the unsubscribe. */
  start(): () => void {
    void this.#loadLast();
    return api.on('media:progress', (p) => {
      // The id is known only when the call returns: until then, follow any measurement that is running here.
      if (this.#running && (this.#pendingId === null || this.#pendingId === p.measurementId)) {
        this.#pendingId = p.measurementId;
        this.#progress = p;
      }
    });
  }

  async #loadLast(): Promise<void> {
    try {
      this.#result ??= await api.call('media:last', {});
      if (this.#result && this.customer === '') {
        this.customer = this.#result.customer;
        this.serverId = this.#result.serverId ?? '';
        // The carrier as measured: when it is the chosen server's IP, the direct figure is measured again from it.
        this.carrier = this.#result.carrier;
      }
    } catch {
      // Nothing measured yet, or a snapshot older than media paths: an empty form.
    }
  }

  async measure(): Promise<void> {
    if (this.#running) return;
    const errors: Partial<Record<MediaField, string>> = {};
    if (this.customer.trim() === '') errors.customer = "Enter the customer's address or host name.";
    if (this.carrier.trim() === '' && this.serverId === '')
      errors.carrier = "Enter the carrier's address, or pick the server at the carrier's end.";
    this.#errors = errors;
    if (Object.keys(errors).length > 0) return;
    this.#running = true;
    this.#pendingId = null;
    this.#progress = null;
    try {
      this.#result = await api.call('media:measure', {
        customer: this.customer.trim(),
        ...(this.carrier.trim() === '' ? {} : { carrier: this.carrier.trim() }),
        ...(this.serverId === '' ? {} : { serverId: this.serverId }),
      });
    } catch (e) {
      const error = callError(e);
      const field = (['customer', 'carrier', 'serverId', 'rtp'] as const).find((f) => f === error.field) ?? 'form';
      this.#errors = { [field]: error.message };
    } finally {
      this.#running = false;
    }
  }
}

export class MediaSshForm {
  port = $state<number | null>(null);
  user = $state('');
  auth = $state<MediaSsh['auth']>('agent');
  keyPath = $state('');
  jumpHost = $state('');
  error = $state<{ field: string; message: string } | null>(null);
  saved = $state(false);

  async load(): Promise<void> {
    try {
      const s = await api.call('media:get-ssh', {});
      this.port = s.port;
      this.user = s.user ?? '';
      this.auth = s.auth;
      this.keyPath = s.keyPath ?? '';
      this.jumpHost = s.jumpHost ?? '';
    } catch {
      // A snapshot without these settings: the form keeps its defaults and cannot save anyway.
    }
  }

  async save(): Promise<void> {
    this.error = null;
    this.saved = false;
    const blank = (v: string) => (v.trim() === '' ? null : v.trim());
    try {
      await api.call('media:set-ssh', {
        port: this.port,
        user: blank(this.user),
        auth: this.auth,
        keyPath: blank(this.keyPath),
        jumpHost: blank(this.jumpHost),
      });
      this.saved = true;
    } catch (e) {
      const error = callError(e);
      this.error = { field: error.field ?? 'form', message: error.message };
    }
  }
}
