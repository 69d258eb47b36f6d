// What a failed connection's error code means, in words a user can act on; shared by every
// client this project has (data downloads, the KFP client).
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed: is the server plain http?',
};

/** The reason for a network error code, or undefined when the code is not a known one. */
export function networkReason(code: string | undefined): string | undefined {
  return code !== undefined ? REASONS[code] : undefined;
}
