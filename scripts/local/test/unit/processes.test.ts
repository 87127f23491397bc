import { freePort } from '../../processes';

describe('freePort', () => {
  it('never hands out the same port twice, even when asked many times before anything binds', async () => {
    const ports = await Promise.all(Array.from({ length: 200 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeGreaterThan(1023);
  });
});
