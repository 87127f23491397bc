import { TypingState } from '../adapters/typing-state';
import { Typing, TYPING_LIMITS } from '../typing';
import { audience } from './audience';
import { runtime } from './core';
import { ephemeral, redis } from './redis';


export const typingState = new TypingState(redis, TYPING_LIMITS);
export const typing = new Typing(audience, typingState, ephemeral, runtime.metrics);
