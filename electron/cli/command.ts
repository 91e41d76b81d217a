// The shape of an `audit-desk` command: its flags (node:util parseArgs) and what it prints.
import type { ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandResult {
  /** The one JSON document printed with --json. */
  json: unknown;
  /** Human-readable text printed otherwise. */
  text: string;
  /** 0, or 1 when a verdict failed or something was rejected. */
  exitCode: 0 | 1;
  /** Print the text on stderr (a rejection reported as an error line rather than a result). */
  toStderr?: boolean;
  /** The command printed its output itself (a long-running server's start line): print nothing. */
  printed?: boolean;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options: Options;
  positionals: 'none' | 'optional' | 'some';
  run(args: ParsedArgs): Promise<CommandResult> | CommandResult;
}
