// What the engine and a protocol script agree on: the script's shape, the engine's options and their defaults.
import type { Session } from "./engine.js";
import type { ReplyParser, ReplyRecord } from "./reply.js";
import type { Protocol } from "./types.js";

export interface EngineOptions {
  /** Overall deadline for the whole probe. */
  timeoutMs?: number;
  /** Timeout of each ordinary step (clipped to what is left of the overall deadline). */
  stepTimeoutMs?: number;
  /** Logon steps; by default whatever is left of the overall deadline, since servers delay failed logons on purpose. */
  loginTimeoutMs?: number;
  /** Told the name of each step as it starts ("connect", "greeting", "USER", ...), for progress shown while it runs. */
  onStep?: (name: string) => void;
}

/** One protocol: its reply grammar, its script from greeting to logon, its goodbye and what its replies tell an admin. */
export interface ProtocolScript {
  readonly protocol: Protocol;
  /** Parses one reply line as an article's signature writes it. */
  readonly parse: ReplyParser;
  run(s: Session): Promise<void>;
  quit(s: Session): Promise<void>;
  findings(replies: readonly ReplyRecord[]): string[];
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_STEP_TIMEOUT_MS = 5_000;
/** A logon reply slower than this is worth a word: the server is probably delaying after failures. */
export const SLOW_LOGON_MS = 3_000;

export interface StepOptions {
  /** A logon step: its budget is the login budget, and a slow answer says why. */
  login?: boolean;
  /** False for a goodbye after an earlier fault: its failure is noise. */
  faultOnFailure?: boolean;
}
