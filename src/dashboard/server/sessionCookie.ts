// The session cookie. Over HTTPS: `__Host-sealed_session`, Secure, HttpOnly, SameSite=Strict,
// Path=/ and no Domain (the __Host- prefix makes browsers insist on exactly that). Browsers drop
// Secure and __Host- cookies on plain HTTP, so with --insecure-http it is `sealed_session`
// without Secure. No Max-Age: the server ends sessions (idle and absolute timeouts).
import type { CookieSerializeOptions } from '@fastify/cookie';

export interface CookiePolicy {
  name: string;
  options: CookieSerializeOptions;
}

export function sessionCookie(secure: boolean): CookiePolicy {
  return {
    name: secure ? '__Host-sealed_session' : 'sealed_session',
    options: { path: '/', httpOnly: true, secure, sameSite: 'strict' },
  };
}
