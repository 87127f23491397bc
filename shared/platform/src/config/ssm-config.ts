import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { logger } from '../observability/logger';
import type { ParameterName } from './parameters';

/** Reads configuration values by name; implemented by SSM in production and by plain maps in unit tests. */
export interface ConfigSource {
  get(name: ParameterName): Promise<string>;
  getMany<N extends ParameterName>(names: readonly N[]): Promise<Record<N, string>>;
  /** A value that may be absent (e.g. Redis in a deployment without it). */
  find(name: ParameterName): Promise<string | undefined>;
}

export class MissingParameterError extends Error {
  constructor(readonly names: string[]) {
    super(`Missing SSM parameter(s): ${names.join(', ')}`);
    this.name = 'MissingParameterError';
  }
}

interface Entry {
  value: string | undefined;
  fetchedAt: number;
}

const BATCH = 10; // GetParameters accepts at most 10 names per call.

/** '' or a path such as `/prod`: where a deployment keeps its parameters (deployment-names.ts). */
const SSM_PREFIX = /^(\/[A-Za-z0-9_.-]+)*$/;

/**
 * Configuration read from SSM Parameter Store at run time and cached for `ttlMs`, so a changed
 * parameter takes effect in every warm container within that time, without a redeploy.
 * Concurrent misses for the same names share one request.
 *
 * Callers ask by the contract's names (`/WEBSOCKET_DOMAIN`); a deployment that keeps its parameters
 * under a path of its own says so with SSM_PREFIX (`/prod`), and `/prod/WEBSOCKET_DOMAIN` is read.
 */
export class SsmConfig implements ConfigSource {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly ssm: SSMClient,
    private readonly ttlMs: number = Number(process.env.CONFIG_TTL_SECONDS ?? 30) * 1000,
    private readonly now: () => number = Date.now,
    private readonly prefix: string = process.env.SSM_PREFIX ?? '',
  ) {
    if (!SSM_PREFIX.test(prefix)) throw new Error(`SSM_PREFIX "${prefix}" is not a parameter path such as /prod (or empty)`);
  }

  async get(name: ParameterName): Promise<string> {
    return (await this.getMany([name]))[name];
  }

  async find(name: ParameterName): Promise<string | undefined> {
    await this.load([name]);
    return this.cache.get(name)?.value;
  }

  async getMany<N extends ParameterName>(names: readonly N[]): Promise<Record<N, string>> {
    await this.load(names);
    const missing = names.filter((n) => this.cache.get(n)?.value === undefined);
    if (missing.length) throw new MissingParameterError(missing);
    return Object.fromEntries(names.map((n) => [n, this.cache.get(n)!.value])) as Record<N, string>;
  }

  private async load(names: readonly string[]): Promise<void> {
    const now = this.now();
    const stale = names.filter((n) => {
      const entry = this.cache.get(n);
      return !entry || now - entry.fetchedAt >= this.ttlMs;
    });
    const toFetch = stale.filter((n) => !this.inFlight.has(n));
    for (let i = 0; i < toFetch.length; i += BATCH) {
      const batch = toFetch.slice(i, i + BATCH);
      const request = this.fetch(batch).finally(() => batch.forEach((n) => this.inFlight.delete(n)));
      batch.forEach((n) => this.inFlight.set(n, request));
    }
    await Promise.all(stale.map((n) => this.inFlight.get(n)).filter(Boolean));
  }

  private async fetch(names: string[]): Promise<void> {
    const nameOf = new Map(names.map((n) => [`${this.prefix}${n}`, n]));
    const out = await this.ssm.send(new GetParametersCommand({ Names: [...nameOf.keys()], WithDecryption: true }));
    const fetchedAt = this.now();
    for (const p of out.Parameters ?? []) this.cache.set(nameOf.get(p.Name!) ?? p.Name!, { value: p.Value, fetchedAt });
    for (const name of out.InvalidParameters ?? []) this.cache.set(nameOf.get(name) ?? name, { value: undefined, fetchedAt });
    logger.debug('config.refreshed', { parameters: [...nameOf.keys()], missing: out.InvalidParameters ?? [] });
  }
}

/** A fixed configuration, for unit tests and scripts. */
export class StaticConfig implements ConfigSource {
  constructor(private readonly values: Partial<Record<ParameterName, string>>) {}
  async get(name: ParameterName): Promise<string> {
    return (await this.getMany([name]))[name];
  }
  async find(name: ParameterName): Promise<string | undefined> {
    return this.values[name];
  }
  async getMany<N extends ParameterName>(names: readonly N[]): Promise<Record<N, string>> {
    const missing = names.filter((n) => this.values[n] === undefined);
    if (missing.length) throw new MissingParameterError(missing);
    return Object.fromEntries(names.map((n) => [n, this.values[n]])) as Record<N, string>;
  }
}
