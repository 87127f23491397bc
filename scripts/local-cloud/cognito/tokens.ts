/** JWT helpers and the in-memory record of issued / revoked tokens kept by the proxy. */
import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface JwtPayload {
  iss?: string;
  sub?: string;
  exp?: number;
  iat?: number;
  jti?: string;
  token_use?: string;
  username?: string;
  client_id?: string;
  'cognito:username'?: string;
  [claim: string]: unknown;
}

interface DecodedJwt {
  header: { alg?: string; kid?: string };
  payload: JwtPayload;
  signingInput: string;
  signature: Buffer;
}

const b64json = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

export function decodeJwt(token: unknown): DecodedJwt | null {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = b64json(parts[0]);
    const payload = b64json(parts[1]);
    if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') return null;
    return {
      header: header as DecodedJwt['header'],
      payload: payload as JwtPayload,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch {
    return null;
  }
}

export type JwtCheck =
  | { ok: true; payload: JwtPayload }
  | { ok: false; reason: 'invalid' | 'expired' };

export class JwtChecker {
  private readonly keys = new Map<string, KeyObject>();

  constructor(jwks: { keys: Array<JsonWebKey & { kid?: string }> }) {
    for (const jwk of jwks.keys) {
      if (jwk.kid) this.keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
    }
  }

  /** Signature (RS256, known kid), issuer prefix and expiry. */
  check(token: unknown, issuerPrefix: string, nowSec = Math.floor(Date.now() / 1000)): JwtCheck {
    const jwt = decodeJwt(token);
    if (!jwt || jwt.header.alg !== 'RS256' || !jwt.header.kid) return { ok: false, reason: 'invalid' };
    const key = this.keys.get(jwt.header.kid);
    if (!key) return { ok: false, reason: 'invalid' };
    if (!verifySignature('RSA-SHA256', Buffer.from(jwt.signingInput), key, jwt.signature)) {
      return { ok: false, reason: 'invalid' };
    }
    const { iss, exp } = jwt.payload;
    if (typeof iss !== 'string' || !iss.startsWith(`${issuerPrefix}/`)) return { ok: false, reason: 'invalid' };
    if (typeof exp !== 'number' || exp <= nowSec) return { ok: false, reason: 'expired' };
    return { ok: true, payload: jwt.payload };
  }
}

/** `<poolId>/<username>` from a token's issuer and username claim. */
export function userKeyOf(payload: JwtPayload): string | null {
  const username = payload.username ?? payload['cognito:username'];
  const poolId = typeof payload.iss === 'string' ? payload.iss.slice(payload.iss.lastIndexOf('/') + 1) : '';
  return typeof username === 'string' && poolId ? `${poolId}/${username}` : null;
}

export const userKey = (poolId: string, username: string): string => `${poolId}/${username}`;

/**
 * Which refresh tokens and access tokens (by jti) were issued to which user, and which of them a
 * global sign-out revoked. Tokens the proxy never saw (issued behind its back) fall back to
 * "issued in an earlier second than the last global sign-out".
 */
export class TokenLedger {
  private readonly refreshByUser = new Map<string, Set<string>>();
  private readonly accessByUser = new Map<string, Set<string>>();
  private readonly knownRefresh = new Set<string>();
  private readonly knownAccess = new Set<string>();
  private readonly revokedRefresh = new Set<string>();
  private readonly revokedAccess = new Set<string>();
  private readonly signedOutAt = new Map<string, number>();

  recordRefreshToken(user: string, token: string): void {
    this.knownRefresh.add(token);
    setOf(this.refreshByUser, user).add(token);
  }

  recordAccessToken(user: string, jti: string): void {
    this.knownAccess.add(jti);
    setOf(this.accessByUser, user).add(jti);
  }

  /** Revokes every refresh and access token issued to the user so far. */
  revokeUser(user: string, nowSec = Math.floor(Date.now() / 1000)): { refreshTokens: number } {
    const refresh = this.refreshByUser.get(user) ?? new Set<string>();
    for (const t of refresh) this.revokedRefresh.add(t);
    for (const j of this.accessByUser.get(user) ?? []) this.revokedAccess.add(j);
    this.refreshByUser.delete(user);
    this.accessByUser.delete(user);
    this.signedOutAt.set(user, nowSec);
    return { refreshTokens: refresh.size };
  }

  isRefreshTokenRevoked(token: string): boolean {
    if (this.revokedRefresh.has(token)) return true;
    if (this.knownRefresh.has(token)) return false;
    return this.issuedBeforeSignOut(decodeJwt(token)?.payload);
  }

  isAccessTokenRevoked(payload: JwtPayload): boolean {
    const jti = typeof payload.jti === 'string' ? payload.jti : undefined;
    if (jti && this.revokedAccess.has(jti)) return true;
    if (jti && this.knownAccess.has(jti)) return false;
    return this.issuedBeforeSignOut(payload);
  }

  private issuedBeforeSignOut(payload: JwtPayload | undefined): boolean {
    if (!payload) return false;
    const user = userKeyOf(payload);
    const at = user ? this.signedOutAt.get(user) : undefined;
    return at !== undefined && typeof payload.iat === 'number' && payload.iat < at;
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  return s;
}
