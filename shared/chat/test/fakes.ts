import type { ChatEvent, EventPublisher } from '@shared/chat';

/** Fakes of shared/chat's ports, one per port, for every service's unit tests. */

/** An EventPublisher that records what it published and can be switched to fail. */
export class RecordingPublisher implements EventPublisher {
  published: ChatEvent[] = [];
  failing = false;
  async publish(event: ChatEvent): Promise<void> {
    if (this.failing) throw Object.assign(new Error('Topic does not exist'), { name: 'NotFound' });
    this.published.push(structuredClone(event));
  }
}
