import type { RedisConnection } from './redis-connection';
import { withScript } from './redis-connection';
import type { TypingChange, TypingLimits, TypingStore } from '../ports';

/*
 * Who is typing where: one sorted set, member "<conversationId>|<userId>", score = when it lapses.
 * Only changes are announced: a `typing: true` while already typing just pushes the lapse time
 * out, so a client may send one per keystroke and the others still get one event. Starts are
 * also counted per user and conversation, so toggling cannot flood the room.
 * Ids never contain '|' (see fields.id).
 */
const ACTIVE = 'rt:typing';
const rateKey = (member: string) => `rt:typing-starts:${member}`;

const UPDATE = `
local present = redis.call('ZSCORE', KEYS[1], ARGV[1])
if ARGV[2] ~= '1' then
  if not present then return 'unchanged' end
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 'stopped'
end
local lapse = tonumber(ARGV[3]) + tonumber(ARGV[4])
if present then
  redis.call('ZADD', KEYS[1], lapse, ARGV[1])
  return 'unchanged'
end
local starts = redis.call('INCR', KEYS[2])
if starts == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
if starts > tonumber(ARGV[5]) then return 'limited' end
redis.call('ZADD', KEYS[1], lapse, ARGV[1])
return 'started'`;

// Atomic, so when several subscribers sweep at once each lapsed entry is announced by one of them.
const TAKE_LAPSED = `
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #lapsed > 0 then redis.call('ZREM', KEYS[1], unpack(lapsed)) end
return lapsed`;

interface TypingCommands {
  typingUpdate(active: string, rate: string, member: string, typing: string, now: number, ttl: number, max: number, window: number): Promise<TypingChange>;
  typingTakeLapsed(active: string, now: number, limit: number): Promise<string[]>;
}

export class TypingState implements TypingStore {
  constructor(
    private readonly redis: RedisConnection,
    readonly limits: TypingLimits,
  ) {}

  async update(conversationId: string, userId: string, isTyping: boolean, nowMs: number): Promise<TypingChange> {
    const client = withScript<TypingCommands>(await this.redis.required(), 'typingUpdate', 2, UPDATE);
    const member = `${conversationId}|${userId}`;
    const { ttlMs, maxStarts, windowMs } = this.limits;
    return client.typingUpdate(ACTIVE, rateKey(member), member, isTyping ? '1' : '0', nowMs, ttlMs, maxStarts, windowMs);
  }

  /** Removes and returns the typists whose `typing: true` has lapsed. */
  async takeLapsed(nowMs: number, limit: number): Promise<{ conversationId: string; userId: string }[]> {
    const client = withScript<TypingCommands>(await this.redis.required(), 'typingTakeLapsed', 1, TAKE_LAPSED);
    const lapsed = await client.typingTakeLapsed(ACTIVE, nowMs, limit);
    return lapsed.map((member) => {
      const [conversationId = '', userId = ''] = member.split('|');
      return { conversationId, userId };
    });
  }
}
