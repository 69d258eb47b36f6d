// The question `sealed deploy up|down` asks before changing Azure: one line read from the terminal.
// No terminal (a script, CI) means no answer: the command then needs --yes, never a silent go-ahead.
import { createInterface } from 'node:readline/promises';

export async function terminalConfirm(question: string): Promise<string | undefined> {
  if (process.stdin.isTTY !== true) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
