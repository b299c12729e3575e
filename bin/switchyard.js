#!/usr/bin/env node
// The `switchyard` command: runs the TypeScript sources directly, so the CLI, the web host and the
// tests all execute the same code with no build step between an edit and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
