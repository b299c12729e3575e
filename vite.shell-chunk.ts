import type { Plugin } from 'vite';

// The console's first scripts in one chunk. Left to itself the bundler splits the modules the page
// needs at start into as many shared chunks as there are sets of entries and lazy screens that use
// them (nine files before the first screen could run), and a browser fetches six at a time from
// one host: the rest wait for a second round trip to a host busy probing its fleet. This plugin
// names the modules the page's entries import statically, transitively (the console's own sources
// and the Svelte runtime); `shellGroup` puts them in one chunk, so the page starts with its entry,
// that chunk, the boot script and the style sheet. Lazy screens import what they share from it.

/** Modules from packages that belong in the shell when the entries reach them (the rest is left to the bundler). */
const SHELL_PACKAGES = /[\\/]node_modules[\\/](?:svelte|esm-env|clsx)[\\/]/;
const STYLE = /\.(?:css|scss|sass|less)(?:$|\?)/;

export interface ShellChunk {
  plugin: Plugin;
  /** The group's test: true for a module of the shell (known once the module graph is complete). */
  test: (id: string) => boolean;
}

/** `entries`: the absolute paths of the page's script entries (main.ts, boot.ts). */
export function shellChunk(entries: readonly string[]): ShellChunk {
  const shell = new Set<string>();
  const plugin: Plugin = {
    name: 'switchyard-shell-chunk',
    apply: 'build',
    buildStart() {
      shell.clear();
    },
    buildEnd(error) {
      if (error) return;
      const pending = [...entries];
      while (pending.length > 0) {
        const id = pending.pop()!;
        if (shell.has(id)) continue;
        const info = this.getModuleInfo(id);
        if (info === null) continue;
        shell.add(id);
        for (const next of info.importedIds) if (inShell(next)) pending.push(next);
      }
    },
  };
  // The entries stay chunks of their own (a boot script holding the whole shell would run it early).
  return { plugin, test: (id) => shell.has(id) && !entries.includes(id) };
}

function inShell(id: string): boolean {
  if (STYLE.test(id) || id.startsWith('\0')) return false;
  return !id.includes('node_modules') || SHELL_PACKAGES.test(id);
}
