import type { Certificate } from '../../../contract/certificates-methods';
import { api, callError } from '../api';

/** The certificate list, read once and again whenever the host says it changed. */
class CertificatesStore {
  #list = $state.raw<Certificate[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #subscribed = false;

  get list(): Certificate[] {
    return this.#list;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }

  async load(): Promise<void> {
    if (!this.#subscribed) {
      this.#subscribed = true;
      api.on('certs:changed', () => void this.load());
    }
    try {
      this.#list = await api.call('certs:list', {});
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#loaded = true;
    }
  }
}

export const certificates = new CertificatesStore();

export const EXPIRY_LABEL: Record<Certificate['expiry'], string> = {
  valid: 'Valid',
  expiring: 'Expiring',
  expired: 'Expired',
  'not-yet-valid': 'Not yet valid',
};
