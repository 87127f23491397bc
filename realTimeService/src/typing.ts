import { forbidden, logger, rateLimited, type AuthenticatedUser, type MetricsSink } from '@shared/platform';
import type { Audience } from './audience';
import type { EphemeralPublisher, TypingLimits, TypingStore } from './ports';

/** `typing: true` lapses 5 s after the last one; at most 5 starts per user and conversation per 10 s. */
export const TYPING_LIMITS: TypingLimits = { ttlMs: 5_000, maxStarts: 5, windowMs: 10_000 };

/**
 * The `typing` route: members tell the others they are typing. Only changes travel (see
 * TypingState), through the Redis stream to redisSubscriber. Without Redis, typing is dropped
 * quietly (logged, counted in EphemeralDropped): it is an accelerator, not a message.
 */
export class Typing {
  constructor(
    private readonly audience: Pick<Audience, 'membersOf'>,
    private readonly state: Pick<TypingStore, 'update'>,
    private readonly ephemeral: Pick<EphemeralPublisher, 'publish'>,
    private readonly metrics: Pick<MetricsSink, 'count'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async update(user: AuthenticatedUser, input: { conversationId: string; isTyping: boolean }, correlationId: string): Promise<void> {
    const { conversationId, isTyping } = input;
    if (!(await this.audience.membersOf(conversationId)).includes(user.userId)) throw forbidden('You are not a member of this conversation');
    let change;
    try {
      const now = this.clock();
      change = await this.state.update(conversationId, user.userId, isTyping, now.getTime());
      if (change === 'started' || change === 'stopped') {
        await this.ephemeral.publish({ kind: 'typing', conversationId, userId: user.userId, isTyping, correlationId, at: now.toISOString() });
      }
    } catch (err) {
      this.metrics.count('EphemeralDropped');
      logger.warn('typing.dropped', { conversationId, isTyping, error: (err as Error).message });
      return;
    }
    if (change === 'limited') throw rateLimited('Too many typing notifications for this conversation; slow down');
  }
}
