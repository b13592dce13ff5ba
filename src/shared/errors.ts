// One error type for every layer: a code a program can test and a sentence a
// person can read. The API carries the same body across IPC and the bridge.
import type { z } from 'zod';

export interface ConfigProblem {
  /** Dotted path to the setting, e.g. "heartbeat.intervalMs"; "" for the whole object. */
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

export function toProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown setting ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message,
  }));
}

/** One sentence naming every problem, for a CLI or a log. */
export function describeProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
}

export type ErrorCode = 'INVALID_REQUEST' | 'INVALID_CONFIG' | 'UNKNOWN_ENDPOINT' | 'UNKNOWN_METHOD' | 'UNAVAILABLE' | 'FORBIDDEN' | 'USAGE' | 'INTERNAL';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  problems?: ConfigProblem[];
}

export class WsmonError extends Error {
  readonly problems: ConfigProblem[];
  constructor(
    readonly code: ErrorCode,
    message: string,
    problems: ConfigProblem[] = [],
  ) {
    super(message);
    this.problems = problems;
  }

  static from(body: ErrorBody): WsmonError {
    return new WsmonError(body.code, body.message, body.problems);
  }

  body(): ErrorBody {
    return this.problems.length ? { code: this.code, message: this.message, problems: this.problems } : { code: this.code, message: this.message };
  }
}

/** A config that fails validation; `problems` name each field, as the form shows them. */
export class ConfigError extends WsmonError {
  constructor(problems: ConfigProblem[]) {
    super('INVALID_CONFIG', describeProblems(problems), problems);
  }
}

export class UnknownEndpointError extends WsmonError {
  constructor(id: string) {
    super('UNKNOWN_ENDPOINT', `no endpoint with id "${id}"`);
  }
}

/** A command this face or this session cannot do (read-only log, no settings, no demo). */
export class UnavailableError extends WsmonError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}

/** A command-line mistake: one sentence naming the flag, exit code 2. */
export class UsageError extends WsmonError {
  readonly exitCode = 2;
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Why a file could not be read, in a word a user can search for (ENOENT, EACCES, EISDIR …). */
export function fileErrorText(e: unknown): string {
  return (e as { code?: string }).code ?? (e as Error).message;
}
