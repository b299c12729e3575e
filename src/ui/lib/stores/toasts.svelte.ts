export interface Toast {
  id: number;
  kind: 'ok' | 'error';
  text: string;
  /** A toast that says the latest of one running story (the fleet's status changes): a new one with the same key takes its place. */
  key?: string;
}

/** Short confirmations and failures not tied to a field ("Deleted 3 servers"). */
class Toasts {
  #items = $state.raw<Toast[]>([]);
  #next = 1;

  get items(): Toast[] {
    return this.#items;
  }

  ok(text: string, key?: string): void {
    this.#push('ok', text, 4000, key);
  }

  error(text: string, key?: string): void {
    // Errors stay until dismissed: a tired engineer may look away.
    this.#push('error', text, 0, key);
  }

  dismiss(id: number): void {
    this.#items = this.#items.filter((t) => t.id !== id);
  }

  /** True while a toast with this key is on screen. */
  showing(key: string): boolean {
    return this.#items.some((t) => t.key === key);
  }

  #push(kind: Toast['kind'], text: string, ttl: number, key: string | undefined): void {
    const id = this.#next++;
    const toast: Toast = key === undefined ? { id, kind, text } : { id, kind, text, key };
    // A keyed toast replaces the one it updates, where it stands; others join at the bottom.
    const at = key === undefined ? -1 : this.#items.findIndex((t) => t.key === key);
    this.#items = at === -1 ? [...this.#items.slice(-3), toast] : this.#items.map((t, i) => (i === at ? toast : t));
    if (ttl > 0) setTimeout(() => this.dismiss(id), ttl);
  }
}

export const toasts = new Toasts();
