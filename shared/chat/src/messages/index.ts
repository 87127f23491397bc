/**
 * Messages: ordered, idempotent history with edit, delete and read state, shared by messageService's
 * HTTP routes and realTimeService's WebSocket `message` route, so both send through exactly the
 * same operation.
 *
 * @example
 *   // once per container, beside createRuntime():
 *   const messages = createMessageUseCases(runtime);
 *   const frame = validate(SendMessageInput, body, 'frame');
 *   const { message, created } = await messages.send({ conversationId, senderId: user.userId, ...frame, correlationId });
 *   // ack to the sender: { clientMessageId: message.clientMessageId, messageId: message.messageId, seq: message.seq }
 */
export * from './message';
export * from './schemas';
export * from './cursor';
export * from './message-store';
export * from './message-use-cases';
