// A look at the first bytes of a data source before it is kept: a file that is not CSV text
// (/etc/shadow, an htpasswd, a private key, a cloud metadata answer, a binary) is refused with a
// message that says what is wrong WITHOUT quoting it. Otherwise its first line would come back as
// the CSV reader's "unexpected column 'root:*:19000:0:...' in header".
import { DataError } from '../../core/errors.ts';

export interface ContentCheck {
  /** Sees every chunk in order; throws as soon as the head is known to be wrong. */
  feed(chunk: Buffer, source: string): void;
  /** After the last chunk (the source was not empty). */
  end(source: string): void;
}

/** How far the header line may run. */
export const CSV_HEADER_LIMIT = 64 * 1024;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** The first line must be UTF-8 text without control characters holding at least two comma-separated names. */
export function csvHeaderCheck(): () => ContentCheck {
  return () => {
    const parts: Buffer[] = [];
    let size = 0;
    let decided = false;
    const judge = (line: Buffer, source: string): void => {
      decided = true;
      let head = line.subarray(0, 3).equals(UTF8_BOM) ? line.subarray(3) : line;
      if (head.length > 0 && head[head.length - 1] === 0x0d) head = head.subarray(0, -1);
      const refuse = (reason: string) => new DataError('source.notCsv', { source, reason });
      if (head.includes(0)) throw refuse('binary content (a NUL byte) in the first line');
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(head);
      } catch {
        throw refuse('the first line is not UTF-8 text');
      }
      if (CONTROL.test(text)) throw refuse('control characters in the first line');
      if (!text.includes(',')) throw refuse('the first line has no comma-separated column names');
    };
    return {
      feed(chunk, source) {
        if (decided) return;
        const nl = chunk.indexOf(0x0a);
        if (nl >= 0 && size + nl <= CSV_HEADER_LIMIT) {
          judge(Buffer.concat([...parts, chunk.subarray(0, nl)]), source);
          return;
        }
        parts.push(chunk);
        size += chunk.length;
        if (size > CSV_HEADER_LIMIT) {
          decided = true;
          throw new DataError('source.notCsv', { source, reason: `no line break in the first ${CSV_HEADER_LIMIT} bytes` });
        }
      },
      end(source) {
        if (!decided) judge(Buffer.concat(parts), source);
      },
    };
  };
}
