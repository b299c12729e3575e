// The page's first script, loaded async ahead of the console's own (the build injects it, see
// vite.boot-script.ts). It imports nothing, so it runs as soon as it arrives, while the page still
// waits for the console's scripts and the first screen's answers. It opens this origin's storage:
// the first read of localStorage or sessionStorage blocks the page until the browser has loaded
// them (1 to 120 ms measured in a fresh browser profile). Done here, that wait falls in time the
// page spends idle instead of in the middle of the first screen, which reads the theme, the fleet's
// columns and the page's token from storage as it is drawn.
const page = globalThis as { localStorage?: { length: number }; sessionStorage?: { length: number } };
try {
  void page.localStorage?.length;
  void page.sessionStorage?.length;
} catch {
  // Storage refused (a browser setting): the stores that read it fall back to their defaults.
}
