import { lazy } from '../../lib/lazy';
import { toasts } from '../../lib/stores/toasts.svelte';
import type ActionDialogType from './ActionDialog.svelte';

// The action dialog (and its run progress) loads when an action is first chosen, not with the
// page: the Actions menu and the command palette are on screen from the start, the dialog only
// after a choice. Once loaded it is at hand at once (lazy.ts).

const load = lazy(() => import('./ActionDialog.svelte'));

/** The dialog's component; a failed load (the host restarted with a newer build) is said in a toast. */
export function loadActionDialog(): typeof ActionDialogType | Promise<typeof ActionDialogType> {
  const got = load();
  if (got instanceof Promise) {
    got.catch((error: unknown) =>
      toasts.error(
        `The action dialog could not be loaded from the host (${error instanceof Error ? error.message : String(error)}): reload the console.`,
      ),
    );
  }
  return got;
}
