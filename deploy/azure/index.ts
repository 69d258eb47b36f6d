// Entry point Pulumi loads (Pulumi.yaml `main`). An ES module's default export is the program:
// Pulumi calls it and takes what it resolves to as the stack outputs, and refuses a module with
// both a default and named exports (@pulumi/pulumi cmd/run/run.ts, runProgram). Pulumi runs it
// with the project folder as the working directory.
import { main } from './main.ts';

export default async () => (await main()).outputs;
