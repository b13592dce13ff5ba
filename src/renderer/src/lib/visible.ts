// Whether an element is on screen, from one IntersectionObserver shared by
// every row: canvases of rows scrolled away are not drawn until they return.
const callbacks = new WeakMap<Element, (visible: boolean) => void>();
let observer: IntersectionObserver | null = null;

/** Svelte action: calls `onChange` with true when the element comes on screen (or near it), false when it leaves. */
export function visible(node: Element, onChange: (visible: boolean) => void): { destroy(): void } {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) callbacks.get(e.target)?.(e.isIntersecting);
    },
    { rootMargin: '200px 0px' },
  );
  callbacks.set(node, onChange);
  observer.observe(node);
  return {
    destroy() {
      observer?.unobserve(node);
      callbacks.delete(node);
    },
  };
}
