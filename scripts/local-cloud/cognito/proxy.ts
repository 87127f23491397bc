/**
 * The HTTP front of the local Cognito. Forwards every request to cognito-local unchanged, except
 * where cognito-local is missing an operation or answers differently from Cognito:
 *
 * - ResendConfirmationCode, GlobalSignOut, AdminUserGlobalSignOut: implemented here.
 * - InitiateAuth / AdminInitiateAuth / (Admin)RespondToAuthChallenge: the tokens issued are recorded
 *   (so a global sign-out can revoke them); a revoked refresh token is refused with
 *   "Refresh Token has been revoked"; wrong password / unknown user / bad refresh token answer with
 *   Cognito's exceptions and messages; `ExpiresIn` and `TokenType` are filled in like Cognito does.
 * - Any operation carrying an `AccessToken` (GetUser, ChangePassword, …): the token must be a valid,
 *   unexpired access token of this Cognito and not revoked by a global sign-out.
 * - The pool's password policy is enforced where a password is set (cognito-local ignores it).
 * - A few error messages are replaced by Cognito's own (SignUp on an existing email, ConfirmSignUp).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { PasswordPolicy } from './seed';
import { decodeJwt, type JwtChecker, type JwtPayload, type TokenLedger, userKey, userKeyOf } from './tokens';

const SERVICE = 'AWSCognitoIdentityProviderService';

export interface ProxyOptions {
  upstreamPort: number;
  upstreamHost: string;
  issuerDomain: string;
  checker: JwtChecker;
  ledger: TokenLedger;
  confirmationCode: string;
  passwordPolicy: PasswordPolicy;
  preventUserExistenceErrors: boolean;
  /** clientId → userPoolId for the clients seeded before start (others are looked up). */
  knownClients: ReadonlyMap<string, string>;
  publicUrl: () => string;
  log: (line: string) => void;
}

interface Reply {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

type Json = Record<string, unknown>;

class CognitoFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export function createProxyHandler(o: ProxyOptions): http.RequestListener {
  // cognito-local keeps each pool in a JSON file that it reads, changes and writes back without a
  // lock, so concurrent requests lose each other's writes (e.g. a confirmation). One request at a
  // time reaches it; that is plenty for a local stack.
  // Reads (GET: the JWKS, OpenID configuration) never wait in that queue.
  let queue: Promise<unknown> = Promise.resolve();
  const upstream = (method: string, path: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<Reply> => {
    if (method === 'GET') return send(method, path, headers, body);
    const next = queue.then(() => send(method, path, headers, body));
    queue = next.catch(() => undefined);
    return next;
  };
  const send = (method: string, path: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const h: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'host') h[k] = v;
      h.host = `${o.upstreamHost}:${o.upstreamPort}`;
      if (body.length > 0 || headers['content-length'] !== undefined) h['content-length'] = body.length;
      const req = http.request({ host: o.upstreamHost, port: o.upstreamPort, method, path, headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
          const buf = Buffer.concat(chunks);
          out['content-length'] = buf.length;
          resolve({ status: res.statusCode ?? 502, headers: out, body: buf });
        });
      });
      req.on('error', reject);
      // A request cognito-local never answers must not hold up the queue behind it.
      req.setTimeout(15_000, () => req.destroy(new Error('cognito-local did not answer within 15 s')));
      req.end(body);
    });

  /** Calls an operation on cognito-local directly (cognito-local does not check signatures). */
  const call = async (op: string, input: Json): Promise<{ status: number; json: Json }> => {
    const r = await upstream(
      'POST',
      '/',
      { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${SERVICE}.${op}` },
      Buffer.from(JSON.stringify(input)),
    );
    return { status: r.status, json: parseJson(r.body) ?? {} };
  };

  const getUser = async (userPoolId: string, username: string): Promise<Json | null> => {
    const r = await call('AdminGetUser', { UserPoolId: userPoolId, Username: username });
    if (r.status === 200) return r.json;
    if (r.json.__type === 'UserNotFoundException') return null;
    throw new CognitoFault(String(r.json.__type ?? 'InternalErrorException'), String(r.json.message ?? 'AdminGetUser failed'));
  };

  const poolOfClient = async (clientId: unknown): Promise<string> => {
    if (typeof clientId !== 'string' || !clientId) {
      throw new CognitoFault('InvalidParameterException', "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null");
    }
    const known = o.knownClients.get(clientId);
    if (known) return known;
    const pools = await call('ListUserPools', { MaxResults: 60 });
    for (const p of (pools.json.UserPools as Array<{ Id?: string }> | undefined) ?? []) {
      if (!p.Id) continue;
      const c = await call('DescribeUserPoolClient', { UserPoolId: p.Id, ClientId: clientId });
      if (c.status === 200) return p.Id;
    }
    throw new CognitoFault('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  };

  const checkPassword = (password: unknown, field: string): void => {
    if (password === undefined || password === null) {
      throw new CognitoFault('InvalidParameterException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
    }
    const problem = passwordProblem(String(password), o.passwordPolicy);
    if (problem) throw new CognitoFault('InvalidPasswordException', `Password did not conform with policy: ${problem}`);
  };

  /** Records the tokens of an AuthenticationResult and completes it like Cognito does. */
  const recordAuthResult = (reply: Reply): Reply => {
    const json = parseJson(reply.body);
    const result = json?.AuthenticationResult as Json | undefined;
    if (!json || !result || typeof result.AccessToken !== 'string') return reply;
    const access = decodeJwt(result.AccessToken)?.payload;
    const user = access ? userKeyOf(access) : null;
    if (access && user) {
      if (typeof access.jti === 'string') o.ledger.recordAccessToken(user, access.jti);
      if (typeof result.RefreshToken === 'string') o.ledger.recordRefreshToken(user, result.RefreshToken);
    }
    if (result.ExpiresIn === undefined && access && typeof access.exp === 'number' && typeof access.iat === 'number') {
      result.ExpiresIn = access.exp - access.iat;
    }
    if (result.TokenType === undefined) result.TokenType = 'Bearer';
    return jsonReply(200, json, reply.headers);
  };

  const errorOf = (reply: Reply): { type: string; message: string } | null => {
    if (reply.status < 400) return null;
    const j = parseJson(reply.body);
    return { type: String(j?.__type ?? ''), message: String(j?.message ?? '') };
  };

  const unknownUserAtSignIn = (): never => {
    if (o.preventUserExistenceErrors) throw new CognitoFault('NotAuthorizedException', 'Incorrect username or password.');
    throw new CognitoFault('UserNotFoundException', 'User does not exist.');
  };

  const initiateAuth = async (input: Json, forward: () => Promise<Reply>): Promise<Reply> => {
    const flow = input.AuthFlow;
    const params = (input.AuthParameters ?? {}) as Json;
    if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
      const token = params.REFRESH_TOKEN;
      if (typeof token === 'string' && o.ledger.isRefreshTokenRevoked(token)) {
        throw new CognitoFault('NotAuthorizedException', 'Refresh Token has been revoked');
      }
      const reply = await forward();
      const err = errorOf(reply);
      if (err?.type === 'NotAuthorizedException') throw new CognitoFault('NotAuthorizedException', 'Invalid Refresh Token');
      return err ? reply : recordAuthResult(reply);
    }
    const reply = await forward();
    const err = errorOf(reply);
    if (err?.type === 'InvalidPasswordException') throw new CognitoFault('NotAuthorizedException', 'Incorrect username or password.');
    if (err?.type === 'NotAuthorizedException' && err.message === 'User not authorized') unknownUserAtSignIn();
    return err ? reply : recordAuthResult(reply);
  };

  const ops: Record<string, (input: Json, forward: () => Promise<Reply>) => Promise<Reply>> = {
    SignUp: async (input, forward) => {
      checkPassword(input.Password, 'password');
      const reply = await forward();
      const err = errorOf(reply);
      if (err?.type === 'UsernameExistsException') {
        throw new CognitoFault('UsernameExistsException', 'An account with the given email already exists.');
      }
      return reply;
    },

    ConfirmSignUp: async (input, forward) => {
      const reply = await forward();
      const err = errorOf(reply);
      if (!err) return reply;
      if (err.type === 'NotAuthorizedException') {
        // cognito-local's answer for an unknown user
        if (o.preventUserExistenceErrors) throw new CognitoFault('CodeMismatchException', 'Invalid verification code provided, please try again.');
        throw new CognitoFault('UserNotFoundException', 'Username/client id combination not found.');
      }
      if (err.type === 'CodeMismatchException') {
        throw new CognitoFault('CodeMismatchException', 'Invalid verification code provided, please try again.');
      }
      if (err.type === 'ExpiredCodeException') {
        const user = await getUser(await poolOfClient(input.ClientId), String(input.Username));
        if (user && user.UserStatus !== 'UNCONFIRMED') {
          throw new CognitoFault('NotAuthorizedException', `User cannot be confirmed. Current status is ${String(user.UserStatus)}`);
        }
      }
      return reply;
    },

    ResendConfirmationCode: async (input) => {
      const poolId = await poolOfClient(input.ClientId);
      if (typeof input.Username !== 'string' || !input.Username) {
        throw new CognitoFault('InvalidParameterException', "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null");
      }
      const user = await getUser(poolId, input.Username);
      if (!user) {
        if (o.preventUserExistenceErrors) {
          // Cognito pretends to have sent a code, so that callers cannot probe for accounts.
          return jsonReply(200, { CodeDeliveryDetails: emailDelivery(input.Username) });
        }
        throw new CognitoFault('UserNotFoundException', 'Username/client id combination not found.');
      }
      if (user.UserStatus !== 'UNCONFIRMED') throw new CognitoFault('InvalidParameterException', 'User is already confirmed.');
      const email = attribute(user, 'email');
      if (!email) throw new CognitoFault('InvalidParameterException', 'User has no attribute matching desired auto verified attributes');
      // cognito-local keeps the code it stored at SignUp: with CODE set that is the configured code.
      o.log(
        `Confirmation Code Delivery (ResendConfirmationCode) Username: ${String(user.Username)} Destination: ${email} Code: ${o.confirmationCode}`,
      );
      return jsonReply(200, { CodeDeliveryDetails: emailDelivery(email) });
    },

    GlobalSignOut: async (input) => {
      // The access token was validated (signature, issuer, expiry, not revoked) before we got here.
      const payload = accessTokenPayload(input.AccessToken);
      const poolId = String(payload.iss).slice(String(payload.iss).lastIndexOf('/') + 1);
      const user = await getUser(poolId, String(payload.username ?? payload.sub));
      if (!user) throw new CognitoFault('UserNotFoundException', 'User does not exist.');
      const { refreshTokens } = o.ledger.revokeUser(userKey(poolId, String(user.Username)));
      o.log(`GlobalSignOut: user ${String(user.Username)} signed out everywhere (${refreshTokens} refresh token(s) revoked)`);
      return jsonReply(200, {});
    },

    AdminUserGlobalSignOut: async (input) => {
      if (typeof input.UserPoolId !== 'string' || typeof input.Username !== 'string') {
        throw new CognitoFault('InvalidParameterException', 'UserPoolId and Username are required');
      }
      const user = await getUser(input.UserPoolId, input.Username);
      if (!user) throw new CognitoFault('UserNotFoundException', 'User does not exist.');
      const { refreshTokens } = o.ledger.revokeUser(userKey(input.UserPoolId, String(user.Username)));
      o.log(`AdminUserGlobalSignOut: user ${String(user.Username)} signed out everywhere (${refreshTokens} refresh token(s) revoked)`);
      return jsonReply(200, {});
    },

    InitiateAuth: initiateAuth,
    AdminInitiateAuth: initiateAuth,

    RespondToAuthChallenge: async (input, forward) => {
      const responses = (input.ChallengeResponses ?? {}) as Json;
      if (input.ChallengeName === 'NEW_PASSWORD_REQUIRED' && responses.NEW_PASSWORD !== undefined) {
        checkPassword(responses.NEW_PASSWORD, 'NEW_PASSWORD');
      }
      const reply = await forward();
      return errorOf(reply) ? reply : recordAuthResult(reply);
    },

    ChangePassword: async (input, forward) => {
      checkPassword(input.ProposedPassword, 'proposedPassword');
      const reply = await forward();
      if (errorOf(reply)?.type === 'InvalidPasswordException') {
        throw new CognitoFault('NotAuthorizedException', 'Incorrect username or password.');
      }
      return reply;
    },

    ConfirmForgotPassword: async (input, forward) => {
      checkPassword(input.Password, 'password');
      return forward();
    },

    AdminSetUserPassword: async (input, forward) => {
      checkPassword(input.Password, 'password');
      return forward();
    },
  };
  ops.AdminRespondToAuthChallenge = ops.RespondToAuthChallenge;

  /** Every operation that carries an AccessToken gets it checked like Cognito does. */
  const accessTokenPayload = (token: unknown): JwtPayload => {
    const checked = o.checker.check(token, o.issuerDomain);
    if (!checked.ok) {
      throw new CognitoFault('NotAuthorizedException', checked.reason === 'expired' ? 'Access Token has expired' : 'Invalid Access Token');
    }
    if (checked.payload.token_use !== 'access') throw new CognitoFault('NotAuthorizedException', 'Invalid Access Token');
    if (o.ledger.isAccessTokenRevoked(checked.payload)) throw new CognitoFault('NotAuthorizedException', 'Access Token has been revoked');
    return checked.payload;
  };

  const openIdConfiguration = (poolId: string): Json => ({
    issuer: `${o.issuerDomain}/${poolId}`,
    jwks_uri: `${o.publicUrl()}/${poolId}/.well-known/jwks.json`,
    authorization_endpoint: `${o.publicUrl()}/oauth2/authorize`,
    token_endpoint: `${o.publicUrl()}/oauth2/token`,
    userinfo_endpoint: `${o.publicUrl()}/oauth2/userInfo`,
    response_types_supported: ['code', 'token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  });

  const handle = async (req: http.IncomingMessage): Promise<Reply> => {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    const forward = () => upstream(method, url, req.headers, body);

    const oidc = /^\/([^/]+)\/\.well-known\/openid-configuration$/.exec(path);
    if (method === 'GET' && oidc) return jsonReply(200, openIdConfiguration(decodeURIComponent(oidc[1])), {}, 'application/json');

    const target = req.headers['x-amz-target'];
    if (method !== 'POST' || path !== '/' || typeof target !== 'string') return forward();
    const op = target.slice(target.indexOf('.') + 1);
    const input = parseJson(body);
    if (!input) return forward();

    try {
      if (input.AccessToken !== undefined) accessTokenPayload(input.AccessToken);
      const intercept = ops[op];
      return intercept ? await intercept(input, forward) : await forward();
    } catch (e) {
      if (e instanceof CognitoFault) return faultReply(e);
      throw e;
    }
  };

  return (req, res) => {
    handle(req).then(
      (reply) => {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      },
      (e: unknown) => {
        o.log(`cognito proxy: ${req.method} ${req.url} failed: ${e instanceof Error ? e.message : String(e)}`);
        const reply = faultReply(new CognitoFault('InternalErrorException', `Local Cognito proxy error: ${e instanceof Error ? e.message : String(e)}`), 500);
        if (!res.headersSent) res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      },
    );
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(buf: Buffer): Json | null {
  if (buf.length === 0) return null;
  try {
    const v: unknown = JSON.parse(buf.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

function jsonReply(status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}, contentType = 'application/x-amz-json-1.1'): Reply {
  const body = Buffer.from(JSON.stringify(value));
  const h: http.OutgoingHttpHeaders = { ...headers, 'content-type': contentType, 'content-length': body.length };
  if (!h['x-amzn-requestid']) h['x-amzn-requestid'] = randomUUID();
  return { status, headers: h, body };
}

function faultReply(f: CognitoFault, status = 400): Reply {
  return jsonReply(status, { __type: f.type, message: f.message }, { 'x-amzn-errortype': f.type });
}

function attribute(user: Json, name: string): string | undefined {
  const attrs = (user.UserAttributes as Array<{ Name?: string; Value?: string }> | undefined) ?? [];
  return attrs.find((a) => a.Name === name)?.Value;
}

/** Cognito masks the destination: "j***@e***". */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 0) return `${email.slice(0, 1)}***`;
  return `${email.slice(0, 1)}***@${email.slice(at + 1, at + 2)}***`;
}

function emailDelivery(email: string): Json {
  return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

/** Cognito's wording for the first rule a password breaks, or null if it conforms. */
export function passwordProblem(password: string, policy: PasswordPolicy): string | null {
  if (password.length < policy.MinimumLength) return 'Password not long enough';
  if (policy.RequireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) return 'Password must have symbol characters';
  return null;
}
