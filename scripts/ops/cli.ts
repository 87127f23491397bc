/**
 * `npm run ops -- <command> [options]`: the operations guide's steps as commands, against AWS
 * (default credential chain, --stage, --region) or the local stack (--local). See docs/operations.md.
 */
import { ArgsError, parseCommandLine, type OptionsConfig } from '../lib/args';
import type { Command, OptionSpec } from './command';
import { alarmsCommand } from './commands/alarms';
import { dashboardCommand } from './commands/dashboard';
import { healthCommand } from './commands/health';
import { logsCommand } from './commands/logs';
import { metricsCommand } from './commands/metrics';
import { ssmCommand } from './commands/ssm';
import { consoleOutput, errorText, UsageError, type Output } from './output';
import { resolveTarget, TargetError } from './target';

// Node 20 is the project's local runtime (toolchain.md); the SDK's notice about it would bury the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const COMMANDS: Command[] = [healthCommand, ssmCommand, alarmsCommand, dashboardCommand, logsCommand, metricsCommand];

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  local: { type: 'boolean', description: 'act on the local stack (reads .local/endpoints.json)' },
  endpoints: { type: 'string', description: 'act on the local stack described by this endpoints file (implies --local)' },
  stage: { type: 'string', description: 'AWS stage (default dev)' },
  'name-qualifier': { type: 'string', description: "the stage's name qualifier, if deployed with one (default: none for dev, else the stage)" },
  region: { type: 'string', description: 'AWS region (default: AWS_REGION, else ap-south-1)' },
  json: { type: 'boolean', description: 'machine-readable output' },
  help: { type: 'boolean', description: 'show help' },
};

function usage(command?: Command): string {
  const optionLines = (options: Record<string, OptionSpec>) =>
    Object.entries(options).map(([name, o]) => `    --${name}${o.type === 'string' ? ' <value>' : ''}`.padEnd(30) + o.description);
  if (command) {
    return [`usage: npm run ops -- ${command.usage}`, '', `  ${command.summary}`, '', '  options:', ...optionLines(command.options), '', '  common options:', ...optionLines(GLOBAL_OPTIONS)].join('\n');
  }
  return [
    'usage: npm run ops -- <command> [options]',
    '',
    '  commands:',
    ...COMMANDS.map((c) => `    ${c.name.padEnd(11)}${c.summary}`),
    '',
    '  common options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    '  `npm run ops -- <command> --help` shows a command\'s options. Guide step by step: docs/operations.md',
  ].join('\n');
}

export async function main(argv: string[], io: Output = consoleOutput): Promise<number> {
  const name = argv.find((a) => !a.startsWith('-'));
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const askedForHelp = !name && argv.every((a) => a === '--help' || a === '-h');
    if (askedForHelp) {
      io.out(usage());
      return 0;
    }
    io.err(`${name ? `unknown command "${name}"` : 'no command given'}\n\n${usage()}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseCommandLine<OptionsConfig>>;
  try {
    const options: OptionsConfig = { ...GLOBAL_OPTIONS, ...command.options, help: { type: 'boolean', short: 'h' } };
    parsed = parseCommandLine(options, argv.filter((_, i) => i !== argv.indexOf(command.name)));
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    io.err(`${err.message}\n\n${usage(command)}`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) {
    io.out(usage(command));
    return 0;
  }
  try {
    const target = resolveTarget({
      local: values.local as boolean,
      endpoints: values.endpoints as string,
      stage: values.stage as string,
      region: values.region as string,
      nameQualifier: values['name-qualifier'] as string | undefined,
    });
    return await command.run({ target, values, positionals: parsed.positionals, io });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${usage(command)}`);
      return 2;
    }
    if (err instanceof TargetError) {
      io.err(err.message);
      return 1;
    }
    io.err(`${command.name} failed: ${errorText(err)}`);
    if ((err as Error).name === 'CredentialsProviderError') io.err('Without --local the commands act on AWS: configure credentials (aws configure, AWS_PROFILE, …) or pass --local.');
    if (process.env.OPS_DEBUG) io.err((err as Error).stack ?? '');
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${errorText(err)}\n`);
      process.exit(1);
    },
  );
}
