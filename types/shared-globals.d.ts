// The few globals that exist in both Node and browsers and that src/shared may use.
// Only tsconfig.shared.json sees this file, so shared code cannot reach for anything else.
declare class URLSearchParams {
  constructor(init?: string);
  keys(): IterableIterator<string>;
  set(name: string, value: string): void;
  get(name: string): string | null;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}
declare class URL {
  constructor(url: string, base?: string);
  hash: string;
  host: string;
  hostname: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  username: string;
  search: string;
  readonly searchParams: URLSearchParams;
  toString(): string;
}
