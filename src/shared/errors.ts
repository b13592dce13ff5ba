// One error type for every layer: a code a program can test and a sentence a
// person can read. The API carries the same body across IPC and the bridge.
import { describeProblems, type ConfigProblem } from './config';

export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_CONFIG'
  | 'UNKNOWN_ENDPOINT'
  | 'UNKNOWN_METHOD'
  | 'UNAVAILABLE'
  | 'FORBIDDEN'
  | 'USAGE'
  | 'INTERNAL';

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
