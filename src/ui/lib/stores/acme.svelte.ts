import type { AcmeCertificate, AcmeProgress, AcmeSettings, ServerDeploy } from '../../../contract/cert-deploy-methods';
import { api, callError } from '../api';

/** The Certificates page's view of the servers: last checks everywhere, ACME settings, requests and renewals. */
class CertificatesOverview {
  #checks = $state.raw<ServerDeploy[]>([]);
  #acme = $state.raw<AcmeCertificate[]>([]);
  #settings = $state.raw<AcmeSettings | null>(null);
  #progress = $state.raw<AcmeProgress[]>([]);
  #error = $state<string | null>(null);
  #subscribed = false;

  get checks(): ServerDeploy[] {
    return this.#checks;
  }
  get acme(): AcmeCertificate[] {
    return this.#acme;
  }
  get settings(): AcmeSettings | null {
    return this.#settings;
  }
  /** Steps of the ACME requests since the page opened, newest last. */
  get progress(): AcmeProgress[] {
    return this.#progress;
  }
  get error(): string | null {
    return this.#error;
  }

  async load(): Promise<void> {
    if (!this.#subscribed) {
      this.#subscribed = true;
      api.on('certs:changed', () => void this.load());
      api.on('acme:progress', (event) => (this.#progress = [...this.#progress, event].slice(-30)));
    }
    try {
      [this.#checks, this.#acme, this.#settings] = await Promise.all([
        api.call('certs:list-checks', {}),
        api.call('acme:list', {}),
        api.call('acme:settings', {}),
      ]);
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    }
  }

  setSettings(settings: AcmeSettings): void {
    this.#settings = settings;
  }

  clearProgress(): void {
    this.#progress = [];
  }
}

export const certificatesOverview = new CertificatesOverview();
