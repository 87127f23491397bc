import { TypingState } from '../adapters/typing-state';
import { Typing } from '../typing';
import { audience } from './audience';
import { runtime } from './core';
import { ephemeral, redis } from './redis';

/** `typing: true` lapses 5 s after the last one; at most 5 starts per user and conversation per 10 s. */
const TYPING_LIMITS = { ttlMs: 5_000, maxStarts: 5, windowMs: 10_000 };

export const typingState = new TypingState(redis, TYPING_LIMITS);
export const typing = new Typing(audience, typingState, ephemeral, runtime.metrics);
