import { generateKeyPairSync, createSign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier } from '../../src/auth/token-verifier';
import { type RevocationStore } from '../../src/auth/revocations';

const POOL = 'eu-west-1_TestPool1';
const CLIENT = 'testclient';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function sign(claims: Record<string, unknown>, key: KeyObject = privateKey): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = enc({ alg: 'RS256', kid: 'k1', typ: 'JWT' });
  const now = Math.floor(Date.now() / 1000);
  const body = enc({ iss: ISSUER, sub: 'user-1', token_use: 'access', client_id: CLIENT, iat: now, exp: now + 3600, ...claims });
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key).toString('base64url');
  return `${head}.${body}.${signature}`;
}

class MemoryRevocations implements RevocationStore {
  readonly marks = new Map<string, number>();
  async revokedAt(userId: string) {
    return this.marks.get(userId);
  }
  async revoke(userId: string, at: number) {
    this.marks.set(userId, at);
  }
}

describe('TokenVerifier (aws-jwt-verify with a JWKS from the local Cognito endpoint)', () => {
  let server: http.Server;
  let endpoint: string;
  beforeAll(async () => {
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = http.createServer((req, res) => {
      if (req.url === `/${POOL}/.well-known/jwks.json`) res.end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
  afterEach(() => jest.restoreAllMocks());

  const verifier = (revocations = new MemoryRevocations()) =>
    new TokenVerifier(async () => ({ userPoolId: POOL, clientId: CLIENT }), revocations, endpoint);

  it('accepts access and id tokens of the pool and client', async () => {
    const v = verifier();
    await expect(v.verify(sign({}))).resolves.toMatchObject({ userId: 'user-1', tokenUse: 'access' });
    const idToken = sign({ token_use: 'id', aud: CLIENT, client_id: undefined, email: 'a@b.c' });
    await expect(v.verify(idToken)).resolves.toMatchObject({ userId: 'user-1', tokenUse: 'id', email: 'a@b.c' });
  });

  it.each([
    ['a missing token', undefined],
    ['garbage', 'not.a.jwt'],
    ['another client', sign({ client_id: 'other' })],
    ['another issuer', sign({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })],
    ['an expired token', sign({ exp: Math.floor(Date.now() / 1000) - 10 })],
    ['a foreign signature', sign({}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
  ])('refuses %s with 401', async (_what, token) => {
    await expect(verifier().verify(token)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses tokens issued up to the revocation second, and accepts later ones', async () => {
    const revocations = new MemoryRevocations();
    const now = Math.floor(Date.now() / 1000);
    revocations.marks.set('user-1', now);
    const v = verifier(revocations);
    await expect(v.verify(sign({ iat: now }))).rejects.toMatchObject({ status: 401, message: 'Token has been revoked' });
    await expect(v.verify(sign({ iat: now + 1 }))).resolves.toMatchObject({ userId: 'user-1' });
  });
});
