import type Redis from 'ioredis';
import { withScript } from './redis-connection';
import type { CacheRead, ListCache } from '../ports';

const PREFIX = 'rt:cache:';
const GENERATION_TTL_SECONDS = 24 * 3600;

/*
 * Each key has a generation counter beside it. Invalidation bumps the generation and deletes the
 * value; a fill only lands if the generation is still the one seen before DynamoDB was read. So a
 * fan-out that read DynamoDB just before a connect wrote it cannot put the stale list back after
 * the connect's invalidation.
 */
const FILL_IF_UNCHANGED = `
local generation = redis.call('GET', KEYS[2]) or ''
if generation ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

interface FillCommand {
  fillIfUnchanged(key: string, generationKey: string, generation: string, value: string, ttlSeconds: number): unknown;
}

/**
 * ListCache on Redis: one MGET per read (values and generations of every key), one pipeline per
 * fill and per invalidation. Entries also expire after `ttlSeconds`, which bounds staleness if an
 * invalidation is ever lost (e.g. Redis was down when a member was removed).
 */
export class RedisListCache implements ListCache {
  constructor(
    private readonly redis: () => Promise<Redis | undefined>,
    private readonly ttlSeconds: number,
  ) {}

  async read(keys: readonly string[]): Promise<CacheRead> {
    const hits = new Map<string, string[]>();
    const tokens = new Map<string, string>();
    const client = await this.redis();
    if (!client || keys.length === 0) return { hits, tokens };
    const values = await client.mget(...keys.map(valueKey), ...keys.map(generationKey));
    keys.forEach((key, i) => {
      const value = values[i];
      if (value !== null && value !== undefined) hits.set(key, JSON.parse(value) as string[]);
      else tokens.set(key, values[keys.length + i] ?? '');
    });
    return { hits, tokens };
  }

  async fill(entries: readonly { key: string; value: readonly string[] }[], tokens: Map<string, string>): Promise<void> {
    const client = await this.redis();
    const guarded = entries.filter((e) => tokens.has(e.key));
    if (!client || guarded.length === 0) return;
    const pipeline = withScript(client, 'fillIfUnchanged', 2, FILL_IF_UNCHANGED).pipeline();
    for (const { key, value } of guarded) {
      (pipeline as unknown as FillCommand).fillIfUnchanged(valueKey(key), generationKey(key), tokens.get(key)!, JSON.stringify(value), this.ttlSeconds);
    }
    await pipeline.exec();
  }

  async invalidate(keys: readonly string[]): Promise<void> {
    const client = await this.redis();
    if (!client || keys.length === 0) return;
    const multi = client.multi();
    for (const key of keys) {
      multi.incr(generationKey(key)).expire(generationKey(key), GENERATION_TTL_SECONDS).del(valueKey(key));
    }
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];
  }

}

const valueKey = (key: string) => `${PREFIX}${key}`;
const generationKey = (key: string) => `${PREFIX}${key}:gen`;
