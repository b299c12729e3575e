export type Theme = 'dark' | 'light';

const KEY = 'switchyard.theme';

/** Dark by default; the choice is remembered per workstation. */
class ThemeStore {
  #theme = $state<Theme>(readSaved());

  constructor() {
    apply(this.#theme);
  }

  get current(): Theme {
    return this.#theme;
  }

  toggle(): void {
    this.set(this.#theme === 'dark' ? 'light' : 'dark');
  }

  set(theme: Theme): void {
    this.#theme = theme;
    apply(theme);
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // Storage may be unavailable (private window): the theme still applies for this session.
    }
  }
}

function readSaved(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

function apply(theme: Theme): void {
  document.documentElement.dataset['theme'] = theme;
}

export const theme = new ThemeStore();
