// A URL from text that may not be one: the parsed URL, or null.

export function tryUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
