import { createMessageUseCases } from '@chat/shared/chat/messages';
import { runtime } from './core';

/** The very send operation messageService's sendMessage uses. */
export const messages = createMessageUseCases(runtime);
