import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The command-line options of a script: `--name value` / `--name=value` strings and `--flag` booleans. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A command line the declared options do not fit (an unknown option, a missing value). */
export class ArgsError extends Error {}

/**
 * The one argv parser of the scripts (Node's util.parseArgs, strict): options as declared, anything
 * else that does not start with `-` a positional. Throws an ArgsError naming what is wrong.
 */
export function parseCommandLine<const O extends OptionsConfig>(options: O, args: string[] = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ArgsError((err as Error).message);
  }
}

/** parseCommandLine for a script's own `main`: on a wrong command line it says why (and how to call it) and exits 2. */
export function commandLine<const O extends OptionsConfig>(usage: string, options: O, args: string[] = process.argv.slice(2)) {
  try {
    return parseCommandLine(options, args);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    process.stderr.write(`${err.message}\n\nusage: ${usage}\n`);
    process.exit(2);
  }
}
