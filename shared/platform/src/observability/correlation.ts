const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller-supplied correlation id when it is sane, otherwise the request id. */
export function correlationIdFrom(candidate: string | undefined, fallback: string): string {
  return candidate && VALID.test(candidate) ? candidate : fallback;
}
