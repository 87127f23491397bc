import { createRevocations, createTokenVerifier } from '@shared/platform';
import { runtime } from './core';

/** `$connect`'s token check: a Cognito token, not revoked. */
export const verifier = createTokenVerifier(runtime, createRevocations(runtime));
