// `audit-desk` entry point: picks the command, parses its flags strictly, prints one JSON document
// (--json) or text, and maps failures to exit codes: 1 rejected, 2 usage, 3 runtime (CONTRACTS.md §4).
import { parseArgs } from 'node:util';
import { AuditDeskError, type ErrorKind } from '../core/errors';
import type { Command, CommandResult } from './command';
import { annotate } from './commands/annotate';
import { coverage } from './commands/coverage';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { insights } from './commands/insights';
import { keygen } from './commands/keygen';
import { pack } from './commands/pack';
import { sample } from './commands/sample';
import { search } from './commands/search';
import { serve } from './commands/serve';
import { simGenerate } from './commands/sim-generate';
import { simServe } from './commands/sim-serve';
import { sync } from './commands/sync';
import { verify } from './commands/verify';
import { verifyPackCommand } from './commands/verify-pack';

const COMMANDS: readonly Command[] = [
  keygen,
  pack,
  verify,
  importCommand,
  coverage,
  search,
  annotate,
  sample,
  insights,
  exportCommand,
  verifyPackCommand,
  sync,
  serve,
  simServe,
  simGenerate,
];
const EXIT: Record<ErrorKind, number> = { rejected: 1, usage: 2, runtime: 3 };

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'audit-desk: verify, store and search signed Otesse activity-log bundles offline',
    '',
    'usage: audit-desk <command> [flags] [--json] [--debug]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'audit-desk <command> --help shows its flags. Exit codes: 0 ok, 1 rejected, 2 usage, 3 runtime error.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name] = argv;
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${helpText()}\n`);
    return name === undefined ? 2 : 0;
  }
  try {
    const found = findCommand(argv);
    if (found === 'group-help') return 0;
    const { command, rest } = found;
    const args = parse(command, rest);
    if (args.values.help === true) {
      process.stdout.write(`usage: audit-desk ${command.usage} [--json]\n${command.summary}\n`);
      return 0;
    }
    const result = await command.run(args);
    print(result, json);
    return result.exitCode;
  } catch (error) {
    const kind: ErrorKind = error instanceof AuditDeskError ? error.kind : 'runtime';
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`audit-desk: ${oneLine(message)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    if (json)
      process.stdout.write(`${JSON.stringify({ error: { kind, message: oneLine(message) } })}\n`);
    return EXIT[kind];
  }
}

/**
 * The command named by the first word, or by the first two for a group (`sim serve`); prints a
 * group's commands for `audit-desk sim --help`.
 */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | 'group-help' {
  const [name, sub, ...more] = argv as [string, ...string[]];
  const direct = COMMANDS.find((c) => c.name === name);
  if (direct !== undefined) return { command: direct, rest: argv.slice(1) };
  const group = COMMANDS.filter((c) => c.name.startsWith(`${name} `));
  if (group.length === 0)
    throw new AuditDeskError(`unknown command "${name}" (see audit-desk --help)`, 'usage');
  const command = group.find((c) => c.name === `${name} ${sub}`);
  if (command !== undefined) return { command, rest: more };
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(
      `${group.map((c) => `usage: audit-desk ${c.usage} [--json]\n  ${c.summary}`).join('\n')}\n`,
    );
    return 'group-help';
  }
  const names = group.map((c) => `"${c.name}"`).join(', ');
  throw new AuditDeskError(
    `${sub === undefined || sub.startsWith('-') ? `missing ${name} command` : `unknown command "${name} ${sub}"`} (${names})`,
    'usage',
  );
}

function parse(command: Command, argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...command.options,
        json: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: command.positionals !== 'none',
      strict: true,
    });
  } catch (error) {
    throw new AuditDeskError(
      `${(error as Error).message.split('\n')[0]} (usage: audit-desk ${command.usage})`,
      'usage',
    );
  }
  if (
    command.positionals === 'some' &&
    parsed.positionals.length === 0 &&
    parsed.values.help !== true
  ) {
    throw new AuditDeskError(`missing FILE (usage: audit-desk ${command.usage})`, 'usage');
  }
  return parsed as {
    values: Record<string, string | boolean | string[] | undefined>;
    positionals: string[];
  };
}

function print(result: CommandResult, json: boolean): void {
  if (result.printed) return;
  // A rejection reported as an error gets its one stderr line with --json too, as errors do.
  if (result.toStderr) process.stderr.write(`audit-desk: ${oneLine(result.text)}\n`);
  if (json) process.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
  else if (!result.toStderr) process.stdout.write(printable(result.text));
}

/** Entries are untrusted text: keep terminal control characters out of human output. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

function oneLine(message: string): string {
  return printable(message.replace(/\s*\n\s*/g, ' ').trim());
}
