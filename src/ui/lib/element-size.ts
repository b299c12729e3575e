// An element's size as the browser lays it out, for the screens that fit their content to it (the
// fleet grid's rows, the Overview's tiles). bind:clientWidth / bind:clientHeight read the size
// while the page is still being built, which makes the browser lay out the whole page there and
// then, and again once the content is in (72 ms for that first forced layout at 10,000 servers).
// A ResizeObserver is told the size after the browser's own layout instead: the content is drawn
// once from a first guess, then corrected before anything is painted.

/** An attachment (`{@attach elementSize(...)}`): `set` gets the client width and height after each layout that changes them. */
export function elementSize(set: (width: number, height: number) => void): (element: HTMLElement) => () => void {
  return (element) => {
    const observer = new ResizeObserver(() => set(element.clientWidth, element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  };
}
