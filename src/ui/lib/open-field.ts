import type { ServerType } from '../../contract/fleet';
import { fleet } from './stores/fleet.svelte';
import { router, serverHref } from './stores/router.svelte';

// Opens a server's page at one form field (an advisor finding's fix): the right tab, the field
// scrolled into view, its control focused and briefly highlighted.

/**
 * Fields on the Config tab start with `config.`; identity, capacity and expiry are on Summary; a
 * dispatcher's destinations have a tab of their own (a switch named in the same finding opens on
 * its Summary, with its probes and load).
 */
export function tabOfField(field: string | null, type: ServerType | null = null): 'summary' | 'config' | 'destinations' {
  if (field === 'destinations') return type === 'dispatcher' ? 'destinations' : 'summary';
  return field !== null && field.startsWith('config.') ? 'config' : 'summary';
}

export function openServerField(serverId: string, field: string | null): void {
  const tab = tabOfField(field, fleet.serverById.get(serverId)?.type ?? null);
  router.go(serverHref(serverId, tab));
  if (field === null || tab === 'destinations' || field === 'destinations') return;
  focusField(field);
}

/**
 * Scrolls a form field into view and focuses its control, waiting (up to 3 s) for the page to
 * render it: after a route change, or after a refused save switched tabs. The Config tab's
 * Cluster box is `config-clusterId`, the same field as Summary's `clusterId`.
 */
export function focusField(field: string, flash = true): void {
  const deadline = Date.now() + 3000;
  const seek = (): void => {
    // An element with the field's id stands in for its box only when it holds controls (a form, a
    // control itself): a heading with that id renders before the rows it names, and focusing it
    // would end the wait before the field is there.
    const named = document.getElementById(field);
    const box =
      document.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"], [data-field="config-${CSS.escape(field)}"]`) ??
      named?.closest<HTMLElement>('[data-field]') ??
      (named?.matches('form, input, select, textarea, button') ? named : null);
    if (!box) {
      if (Date.now() < deadline) requestAnimationFrame(seek);
      return;
    }
    box.scrollIntoView({ block: 'center' });
    // A field's own input first; a button only where the field has no input (a section of buttons).
    const control =
      box.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea') ?? box.querySelector<HTMLElement>('button') ?? box;
    control.focus({ preventScroll: true });
    if (!flash) return;
    box.classList.add('field-flash');
    setTimeout(() => box.classList.remove('field-flash'), 2000);
  };
  requestAnimationFrame(seek);
}
