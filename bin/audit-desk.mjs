#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so `npx audit-desk` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/index.ts');
