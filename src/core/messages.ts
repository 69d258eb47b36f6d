// The one catalog of user-facing messages. Every error the project raises is built from an
// entry here, so wording stays consistent and a reviewer can read all messages in one place.
// Keys are `<area>.<problem>`; each entry turns typed arguments into one line of text.
// Add entries to the section of your layer; keep them one line, naming what and where.

type Msg<A> = (a: A) => string;
const msg = <A>(f: Msg<A>): Msg<A> => f;

export const messages = {
  // --- core / files -------------------------------------------------------------------
  'io.notFound': msg((a: { path: string }) => `file not found: ${a.path}`),
  'io.notAFile': msg((a: { path: string }) => `not a regular file: ${a.path}`),
  'io.empty': msg((a: { path: string }) => `file is empty: ${a.path}`),
  'io.readFailed': msg((a: { path: string; reason: string }) => `cannot read ${a.path}: ${a.reason}`),
  'io.writeFailed': msg((a: { path: string; reason: string }) => `cannot write ${a.path}: ${a.reason}`),

  // --- data / csv -------------------------------------------------------------------------
  // (data layer entries go here)

  // --- ml ---------------------------------------------------------------------------------
  // (ml entries go here)

  // --- gbdt -------------------------------------------------------------------------------
  // (gbdt entries go here)

  // --- pipeline ---------------------------------------------------------------------------
  // (pipeline entries go here)

  // --- loan-default -----------------------------------------------------------------------
  // (loan-default entries go here)

  // --- cli --------------------------------------------------------------------------------
  // (cli entries go here)
} as const;

export type MessageCode = keyof typeof messages;
export type MessageArgs<C extends MessageCode> = Parameters<(typeof messages)[C]>[0];

export function formatMessage<C extends MessageCode>(code: C, args: MessageArgs<C>): string {
  return (messages[code] as Msg<MessageArgs<C>>)(args);
}
