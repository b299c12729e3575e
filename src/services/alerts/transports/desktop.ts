// The desktop channel: a notification on the operator's screen. The host gives `notify`, which
// emits the `alerts:notify` event (Electron shows it, the web page asks the browser to). Nothing
// can refuse it, so it always succeeds.
import type { AlertNotifyPush } from '../../../contract/alerts-methods';
import { renderDesktop } from '../../../domain/alerts/formats';
import type { Transport } from './transport';

export type Notify = (push: AlertNotifyPush) => void;

export function createDesktopTransport(notify: Notify): Transport {
  return {
    send(_channel, _secrets, batch) {
      const started = performance.now();
      notify(renderDesktop(batch));
      return Promise.resolve({ ok: true, status: null, error: null, ms: performance.now() - started });
    },
  };
}
