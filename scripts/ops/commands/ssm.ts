import { GetParametersCommand, PutParameterCommand, SSMClient, type Parameter } from '@aws-sdk/client-ssm';
import type { DeploymentNames } from '@shared/platform/config/deployment-names';
import type { ParameterName } from '@shared/platform/config/parameters';
import { PARAMETERS } from '../catalog';
import type { Command } from '../command';
import { table, UsageError } from '../output';

const BATCH = 10; // GetParameters takes at most 10 names

/** Reads parameters by name; names SSM does not know come back in `missing`. */
export async function readParameters(ssm: SSMClient, names: readonly string[]): Promise<{ found: Map<string, Parameter>; missing: string[] }> {
  const found = new Map<string, Parameter>();
  const missing: string[] = [];
  for (let i = 0; i < names.length; i += BATCH) {
    const out = await ssm.send(new GetParametersCommand({ Names: names.slice(i, i + BATCH), WithDecryption: true }));
    for (const p of out.Parameters ?? []) found.set(p.Name!, p);
    missing.push(...(out.InvalidParameters ?? []));
  }
  return { found, missing };
}

const isContractName = (name: string): name is ParameterName => (PARAMETERS as readonly string[]).includes(name);

/**
 * The stage's SSM name of a parameter given by its contract name (`/ENABLE_METRICS` →
 * `/prod/ENABLE_METRICS` on prod) or already by that full name; any other name stays as given.
 */
export function stageParameterName(name: string, names: DeploymentNames): { ssmName: string; contract: boolean } {
  if (isContractName(name)) return { ssmName: names.parameter(name), contract: true };
  const unprefixed = names.ssmPrefix && name.startsWith(`${names.ssmPrefix}/`) ? name.slice(names.ssmPrefix.length) : undefined;
  return { ssmName: name, contract: unprefixed !== undefined && isContractName(unprefixed) };
}

export const ssmCommand: Command = {
  name: 'ssm',
  summary: 'list the contract\'s SSM parameters, or get / set one (e.g. ssm set /ENABLE_METRICS true; outside dev under /<stage>/)',
  usage: 'ssm [list | get NAME | set NAME VALUE] [--force] [--json]',
  options: {
    force: { type: 'boolean', description: 'set a parameter the contract does not list' },
  },
  async run({ target, values, positionals, io }) {
    const [action = 'list', name, value, ...extra] = positionals;
    const ssm = new SSMClient(target.client('ssm'));
    try {
      if (action === 'list' && !name) {
        const ssmNames = PARAMETERS.map((n) => target.names.parameter(n));
        const { found } = await readParameters(ssm, ssmNames);
        const rows = ssmNames.map((n) => ({ name: n, value: found.get(n)?.Value, version: found.get(n)?.Version, lastModified: found.get(n)?.LastModifiedDate?.toISOString() }));
        if (values.json) io.out(JSON.stringify(rows, null, 2));
        else table(['PARAMETER', 'VERSION', 'LAST MODIFIED', 'VALUE'], rows.map((r) => [r.name, String(r.version ?? ''), r.lastModified ?? '', r.value ?? '(missing)'])).forEach((l) => io.out(l));
        return 0;
      }
      if (action === 'get' && name && !value) {
        const { ssmName } = stageParameterName(name, target.names);
        const { found } = await readParameters(ssm, [ssmName]);
        const p = found.get(ssmName);
        if (!p) {
          io.err(`${ssmName}: not found`);
          return 1;
        }
        io.out(values.json ? JSON.stringify({ name: ssmName, value: p.Value, version: p.Version }) : p.Value);
        return 0;
      }
      if (action === 'set' && name && value !== undefined && !extra.length) {
        const { ssmName, contract } = stageParameterName(name, target.names);
        if (!contract && !values.force) {
          throw new UsageError(`${name} is not one of the contract's parameters (${PARAMETERS.join(', ')}); add --force to set it anyway`);
        }
        const out = await ssm.send(new PutParameterCommand({ Name: ssmName, Value: value, Type: 'String', Overwrite: true }));
        if (values.json) io.out(JSON.stringify({ name: ssmName, value, version: out.Version }));
        else {
          io.out(`${ssmName} = ${value} (version ${out.Version})`);
          io.err('Running functions read it again within their config cache time (CONFIG_TTL_SECONDS: 30 s on AWS); no redeploy needed.');
        }
        return 0;
      }
      throw new UsageError(`usage: ${ssmCommand.usage}`);
    } finally {
      ssm.destroy();
    }
  },
};
