import type { ConnectionRecord } from '../../src/ports';
import { ConnectionIdentity } from '../../src/connection-identity';
import { user } from './fakes';

const ann = user('ann');
const row: ConnectionRecord = {
  connectionId: 'c-1',
  userId: ann.userId,
  connectedAt: '2024-05-01T10:00:00.000Z',
  tokenIssuedAt: ann.issuedAt,
  tokenExpiresAt: ann.expiresAt,
  tokenUse: ann.tokenUse,
  expiresAt: 1_714_600_000,
};

function identity(revokedAt?: number) {
  const rows = new Map([[row.connectionId, row]]);
  return new ConnectionIdentity({ get: async (id: string) => rows.get(id) }, { revokedAt: async () => revokedAt });
}

describe('ConnectionIdentity', () => {
  it('answers with the user recorded at $connect', async () => {
    expect(await identity().identify('c-1')).toEqual(ann);
    expect(await identity(ann.issuedAt - 1).identify('c-1')).toEqual(ann);
  });

  it('refuses an unknown connection (401)', async () => {
    await expect(identity().identify('nope')).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/not registered/) });
  });

  it('refuses a token revoked at or after it was issued (sign-out), until the client reconnects', async () => {
    await expect(identity(ann.issuedAt).identify('c-1')).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/revoked/) });
    await expect(identity(ann.issuedAt + 60).identify('c-1')).rejects.toMatchObject({ status: 401 });
  });
});
