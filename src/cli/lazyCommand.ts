// A command's implementation, loaded when the command runs: registering a command (its name,
// options and help) must not import what it does, or every `sealed --version` pays for the KFP
// client, the training engine and the servers (issue 17: start-up under 0.25 s).

/** `fn` of the module `load` gives, imported on the first call. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] extends (...args: any[]) => any ? M[K] : never {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args)) as any;
}
