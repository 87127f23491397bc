/*
 * What realTimeService's use cases need from the outside world, as interfaces they own. The
 * adapters (src/adapters: DynamoDB, Redis, API Gateway) implement them and are built only in the
 * composition root (src/app); unit tests hand in the fakes of test/unit/fakes.ts.
 */

// --- connections (`websocket-connections`) ----------------------------------------------------

/** One open WebSocket connection, as `$connect` recorded it. */
export interface ConnectionRecord {
  connectionId: string;
  userId: string;
  /** ISO time of `$connect`. */
  connectedAt: string;
  /** The verified token's `iat`/`exp`/`token_use`, so later frames can be held to its revocation. */
  tokenIssuedAt: number;
  tokenExpiresAt: number;
  tokenUse: 'access' | 'id';
  /** Epoch seconds after which the store may forget the record (a `$disconnect` was missed). */
  expiresAt: number;
}

export interface Registered {
  /** How many connections the user has now, this one included. */
  userConnections: number;
  activeConnections: number;
}

export type Removal =
  | { kind: 'removed'; userId: string; userConnections: number; activeConnections: number }
  /** The row had gone already (an earlier clean-up, or TTL); only the user's set was tidied. */
  | { kind: 'absent'; userConnections?: number }
  /** The row is younger than the grace cut-off: probably still inside its `$connect`. */
  | { kind: 'kept' };

/** Where open connections are recorded, with each user's set and the ActiveConnections count. */
export interface ConnectionStore {
  add(record: ConnectionRecord): Promise<Registered>;
  get(connectionId: string): Promise<ConnectionRecord | undefined>;
  /** Removes the connection; with `guard`, only if it belongs to that user and connected before the cut-off. */
  remove(connectionId: string, guard?: { userId?: string; connectedBefore?: string }): Promise<Removal>;
  activeConnections(): Promise<number>;
  /** Open connection ids per user. */
  connectionsOf(userIds: readonly string[]): Promise<Map<string, string[]>>;
}

// --- who belongs where (`conversation-members-table`) ------------------------------------------

export interface MemberLists {
  listMembers(conversationId: string): Promise<{ userId: string }[]>;
  listUserConversations(userId: string): Promise<{ conversationId: string }[]>;
}

/** What a cache read found: the cached lists (absent for a miss) and the tokens that guard their refill. */
export interface CacheRead {
  hits: Map<string, string[]>;
  tokens: Map<string, string>;
}

/** A read-through cache of string lists (member ids, connection ids) in front of DynamoDB. */
export interface ListCache {
  read(keys: readonly string[]): Promise<CacheRead>;
  /** Stores what was loaded after `read`, unless the key was invalidated in between. */
  fill(entries: readonly { key: string; value: readonly string[] }[], tokens: Map<string, string>): Promise<void>;
  invalidate(keys: readonly string[]): Promise<void>;
}

// --- delivery (API Gateway management API) -----------------------------------------------------

export type PostOutcome = 'delivered' | 'gone' | 'failed';

export type Post = (connectionId: string, payload: Uint8Array) => Promise<PostOutcome>;

/** Sends frames to connections; `poster()` is resolved once per fan-out, then called per connection. */
export interface ConnectionGateway {
  poster(): Promise<Post>;
}

// --- ephemeral events (typing, presence) -------------------------------------------------------

/** Typing and presence: ephemeral events, carried to redisSubscriber, never stored. */
export type EphemeralEvent =
  | { kind: 'typing'; conversationId: string; userId: string; isTyping: boolean; correlationId: string; at: string }
  | { kind: 'presence'; userId: string; status: 'online' | 'offline'; correlationId: string; at: string };

export interface EphemeralPublisher {
  publish(event: EphemeralEvent): Promise<void>;
}

export interface StreamEntry {
  id: string;
  /** Undefined when the entry cannot be read (not ours, or corrupt): it is acknowledged and dropped. */
  event: EphemeralEvent | undefined;
  /** When it was added (the stream id's milliseconds), to drop what is too old to matter. */
  addedAtMs: number;
}

/** One named consumer of the ephemeral stream, with the lease that makes it the one reader. */
export interface StreamReader {
  /** Takes or renews the read lease; false while another consumer holds it. */
  holdLease(): Promise<boolean>;
  releaseLease(): Promise<void>;
  createGroup(): Promise<void>;
  read(count: number, blockMs: number): Promise<StreamEntry[]>;
  claimAbandoned(minIdleMs: number, count: number): Promise<StreamEntry[]>;
  ack(ids: readonly string[]): Promise<void>;
  leave(): Promise<void>;
}

export interface EphemeralStream {
  /**
   * A reader for `consumer` while the stream is reachable (waiting up to `blockMs` for it), a new
   * one after a reconnect; undefined while it is down.
   */
  reader(consumer: string, options: { blockMs: number; leaseMs: number }): Promise<StreamReader | undefined>;
}

/** What a typing frame changes for the others in the conversation. */
export type TypingChange = 'started' | 'stopped' | 'unchanged' | 'limited';

export interface TypingLimits {
  /** How long a `typing: true` lasts without another one. */
  ttlMs: number;
  /** Starts (not-typing → typing) announced per user and conversation within `windowMs`. */
  maxStarts: number;
  windowMs: number;
}

/** Who is typing where, with the rate limit on starts. */
export interface TypingStore {
  readonly limits: TypingLimits;
  update(conversationId: string, userId: string, isTyping: boolean, nowMs: number): Promise<TypingChange>;
  /** Typists whose last `typing: true` lapsed before `nowMs` (each handed to one caller only). */
  takeLapsed(nowMs: number, limit: number): Promise<{ conversationId: string; userId: string }[]>;
}
