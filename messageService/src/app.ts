import { createHttpRuntime } from '@shared/platform';
import { createMessageUseCases } from '@shared/chat/compose';

/** messageService's composition root: built once per Lambda container. */
export const runtime = createHttpRuntime();
export const route = runtime.route;

/** The same use cases realTimeService's WebSocket `message` route sends through. */
export const messages = createMessageUseCases(runtime);
