#!/usr/bin/env node
// The `backoffice` command. The service runs its TypeScript sources through tsx (docs/decisions/0001-stack.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
