// A list that keeps still while someone is using it.

/**
 * The previous order, kept for the ids still present; ids new to the list follow, in the order they come.
 * While the pointer or the focus is on the endpoint list, a row does not move away from under it because its
 * health changed (paused, say); the sorted order comes back when the user leaves the list.
 */
export function holdOrder(previous: readonly string[], next: readonly string[]): string[] {
  const present = new Set(next);
  const kept = previous.filter((id) => present.has(id));
  const known = new Set(kept);
  return [...kept, ...next.filter((id) => !known.has(id))];
}
