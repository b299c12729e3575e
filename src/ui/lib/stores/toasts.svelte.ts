export interface Toast {
  id: number;
  kind: 'ok' | 'error';
  text: string;
}

/** Short confirmations and failures not tied to a field ("Deleted 3 servers"). */
class Toasts {
  #items = $state.raw<Toast[]>([]);
  #next = 1;

  get items(): Toast[] {
    return this.#items;
  }

  ok(text: string): void {
    this.#push('ok', text, 4000);
  }

  error(text: string): void {
    // Errors stay until dismissed: a tired engineer may look away.
    this.#push('error', text, 0);
  }

  dismiss(id: number): void {
    this.#items = this.#items.filter((t) => t.id !== id);
  }

  #push(kind: Toast['kind'], text: string, ttl: number): void {
    const id = this.#next++;
    this.#items = [...this.#items.slice(-3), { id, kind, text }];
    if (ttl > 0) setTimeout(() => this.dismiss(id), ttl);
  }
}

export const toasts = new Toasts();
