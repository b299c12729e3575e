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
  const deadline = Date.now() + 3000;
  // The page renders after the route changes; look for the field until it is there.
  const seek = (): void => {
    const box = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`) ?? document.getElementById(field)?.closest<HTMLElement>('[data-field]') ?? null;
    if (!box) {
      if (Date.now() < deadline) requestAnimationFrame(seek);
      return;
    }
    box.scrollIntoView({ block: 'center' });
    const control = box.querySelector<HTMLElement>('input, select, textarea') ?? box;
    control.focus();
    box.classList.add('field-flash');
    setTimeout(() => box.classList.remove('field-flash'), 2000);
  };
  requestAnimationFrame(seek);
}
