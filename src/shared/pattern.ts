// Every pattern a user writes (answer rules, liveness, freshness, replies,
// ack/refuse, filters) runs on RE2 (re2js): matching time is linear in the
// text, so no pattern and no server's message can freeze the process the way
// /^(a+)+$/ does on a backtracking engine. The price is RE2's syntax: no
// lookaround and no backreferences, refused with a sentence saying so.
import { RE2JS } from 're2js';

export interface Pattern {
  /** True when the pattern matches somewhere in the text. */
  test(text: string): boolean;
  /** The match and its groups (as RegExp's exec gives them), or null. */
  exec(text: string): (string | undefined)[] | null;
}

/** The flags a rule may carry, JavaScript's letters: i, m, s (u is RE2's way anyway). */
const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

/** Compiles a user's pattern on the linear-time engine; throws PatternError with a sentence. */
export function compilePattern(pattern: string, flags = ''): Pattern {
  let bits = 0;
  for (const f of flags) {
    if (FLAG_BITS[f] === undefined) throw new PatternError(`regular expression flag "${f}" is not supported (use i, m, s or u)`);
    bits |= FLAG_BITS[f]!;
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, bits);
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '');
    throw new PatternError(
      `invalid regular expression for wsmon's linear-time engine (RE2): ${why}; lookahead, lookbehind and backreferences are not supported`,
    );
  }
  return { test: (text) => re.test(text), exec: (text) => re.exec(text) };
}

/** Why a pattern cannot be used, in words; null when it can. */
export function patternProblem(pattern: string, flags = ''): string | null {
  try {
    compilePattern(pattern, flags);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export class PatternError extends Error {}
