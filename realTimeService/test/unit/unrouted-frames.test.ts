import { AppError } from '@shared/platform';
import { answerUnroutedFrame } from '../../src/unrouted-frames';

describe('answerUnroutedFrame ($default)', () => {
  it('answers ping with pong', () => {
    expect(answerUnroutedFrame('{"action":"ping"}', 'corr')).toEqual({ type: 'pong', data: {}, correlationId: 'corr' });
  });

  it.each(['not json', '{"action":"dance"}', '{}', '[]', 'null', '42', '{"action":{"nested":true}}'])('answers %s with a 400 naming the supported actions', (raw) => {
    let thrown: unknown;
    try {
      answerUnroutedFrame(raw, 'corr');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status: 400, code: 'BAD_REQUEST', message: expect.stringContaining('message, typing, ping') });
  });

  it('names an unknown field of a ping', () => {
    expect(() => answerUnroutedFrame('{"action":"ping","x":1}', 'corr')).toThrow(expect.objectContaining({ status: 400, field: 'x' }));
  });
});
