const KEY = 'switchyard.overview.wall';

/**
 * The Overview's wall layout (large type, read from across a room), chosen per workstation: a
 * NOC screen keeps it across reloads. A read-only host is always a wall, whatever this says.
 */
class OverviewWall {
  #on = $state(readSaved());

  get on(): boolean {
    return this.#on;
  }

  set(on: boolean): void {
    this.#on = on;
    try {
      localStorage.setItem(KEY, on ? '1' : '0');
    } catch {
      // Storage may be unavailable (private window): the layout still applies for this session.
    }
  }

  toggle(): void {
    this.set(!this.#on);
  }
}

function readSaved(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export const overviewWall = new OverviewWall();
