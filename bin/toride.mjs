#!/usr/bin/env node
// The `toride` command: loads the TypeScript sources through tsx so a checkout runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../server/src/main.ts');
