// Which rows of a long list are in sight: the list is as tall as all its rows
// (each the same height), only those in sight and around them exist, and this
// says which those are whenever its scroller scrolls or resizes.
import type { InSight } from './store.svelte';

/** The nearest ancestor that scrolls (the list's aside, the main pane). */
export function scrollerOf(node: HTMLElement): HTMLElement {
  for (let e = node.parentElement; e; e = e.parentElement) if (/(auto|scroll)/.test(getComputedStyle(e).overflowY)) return e;
  return document.documentElement;
}

/** Rows in sight of `list` (its rows `rowPx` tall each), from its scroller's box. */
export function sightOf(list: HTMLElement, rowPx: number): InSight {
  const box = scrollerOf(list).getBoundingClientRect();
  const top = list.getBoundingClientRect().top;
  const first = Math.max(0, Math.floor((box.top - top) / rowPx));
  return { first, count: Math.ceil(box.height / rowPx) + 1 };
}

/** Svelte action: calls `onSight` with the rows in sight now and after every scroll and resize (once a frame at most). */
export function viewport(list: HTMLElement, { rowPx, onSight }: { rowPx: number; onSight: (s: InSight) => void }): { destroy(): void } {
  const scroller = scrollerOf(list);
  let frame = 0;
  const measure = () => {
    frame = 0;
    onSight(sightOf(list, rowPx));
  };
  const soon = () => (frame ||= requestAnimationFrame(measure));
  const resize = new ResizeObserver(soon);
  resize.observe(scroller);
  scroller.addEventListener('scroll', soon, { passive: true });
  soon();
  return {
    destroy() {
      cancelAnimationFrame(frame);
      resize.disconnect();
      scroller.removeEventListener('scroll', soon);
    },
  };
}

/** Scrolls `list`'s scroller so row `index` is in sight (as little as needed). */
export function scrollToRow(list: HTMLElement, rowPx: number, index: number): void {
  const scroller = scrollerOf(list);
  const box = scroller.getBoundingClientRect();
  const rowTop = list.getBoundingClientRect().top + index * rowPx;
  if (rowTop < box.top) scroller.scrollTop -= box.top - rowTop;
  else if (rowTop + rowPx > box.bottom) scroller.scrollTop += rowTop + rowPx - box.bottom;
}
