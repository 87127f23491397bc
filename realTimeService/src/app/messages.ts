import { createMessageUseCases } from '@shared/chat/compose';
import { runtime } from './core';

/** The very send operation messageService's sendMessage uses. */
export const messages = createMessageUseCases(runtime);
