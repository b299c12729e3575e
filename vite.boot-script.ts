import type { Plugin } from 'vite';

// The renderer's boot script (src/ui/boot.ts) is an entry of its own, so its file name carries a
// hash the page cannot know in advance: this puts it into index.html as the first script, async,
// right after the page's CSP, so the browser asks for it first and runs it as soon as it arrives
// instead of waiting for the console's scripts to load and start.

export const BOOT_ENTRY = 'boot';

export function bootScript(): Plugin {
  // A build given other inputs (the first-paint benchmark's build "as shipped before") has no boot entry to inject.
  let configured = false;
  return {
    name: 'switchyard-boot-script',
    apply: 'build',
    configResolved(config) {
      const input: unknown = config.build.rollupOptions.input;
      configured = typeof input === 'object' && input !== null && BOOT_ENTRY in input;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!configured) return undefined;
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.name === BOOT_ENTRY);
        if (chunk === undefined) throw new Error(`The renderer build has no "${BOOT_ENTRY}" entry to put in index.html.`);
        // Right after the CSP, so the browser asks for it before the console's scripts and styles.
        const csp = /<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i.exec(html);
        if (csp === null) throw new Error('index.html has no Content-Security-Policy meta to put the boot script after.');
        const at = csp.index + csp[0].length;
        return `${html.slice(0, at)}\n    <script type="module" async src="./${chunk.fileName}"></script>${html.slice(at)}`;
      },
    },
  };
}
