import { AUDIT_ACTIONS, PERMISSION_NAMES } from '@backoffice/contracts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLATFORM_AUDIT_ACTIONS } from '../platform/audit/writer.ts';
import { features } from './index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, '..');

function folders(dir: string): string[] {
  return readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isDirectory());
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(dir, name));
}

describe('the feature modules', () => {
  it('lists one module for every folder under features/, named after it', () => {
    expect(features.map((f) => f.name).sort()).toEqual(folders(here).sort());
  });

  it('gives each permission of the catalogue to exactly one feature', () => {
    const owners = new Map<string, string[]>();
    for (const feature of features)
      for (const permission of feature.permissions ?? [])
        owners.set(permission, [...(owners.get(permission) ?? []), feature.name]);
    for (const permission of PERMISSION_NAMES) expect(owners.get(permission)).toHaveLength(1);
    expect([...owners.keys()].sort()).toEqual([...PERMISSION_NAMES].sort());
  });

  it('gives each audit action of the catalogue to one owner, whose sources record it', () => {
    const owners = new Map<string, string[]>();
    const own = (action: string, owner: string) =>
      owners.set(action, [...(owners.get(action) ?? []), owner]);
    for (const action of PLATFORM_AUDIT_ACTIONS) own(action, 'platform');
    for (const feature of features)
      for (const action of feature.auditActions ?? []) own(action, feature.name);
    expect([...owners.keys()].sort()).toEqual(Object.keys(AUDIT_ACTIONS).sort());
    for (const [action, list] of owners) {
      expect(list, action).toHaveLength(1);
      const dir = list[0] === 'platform' ? path.join(src, 'platform') : path.join(here, list[0]!);
      const recorded = sourceFiles(dir)
        .filter((file) => !file.endsWith('.test.ts'))
        .some((file) => readFileSync(file, 'utf8').includes(`'${action}'`));
      expect(recorded, `${action} is not named in ${path.relative(src, dir)}`).toBe(true);
    }
  });

  it('names features only through their index: no feature reaches into another’s files from app.ts or the CLI', () => {
    for (const file of ['app.ts', 'cli.ts']) {
      const imports = [
        ...readFileSync(path.join(src, file), 'utf8').matchAll(/from '\.\/features\/([^']+)'/g),
      ];
      expect(
        imports.map((m) => m[1]).filter((target) => target !== 'index.ts'),
        file,
      ).toEqual([]);
    }
  });

  it('opens transactions one way (inTransaction), and keeps periodic work on the scheduler', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(src)) {
      if (file.endsWith('.test.ts')) continue;
      const text = readFileSync(file, 'utf8');
      const name = path.relative(src, file);
      // A transaction with settings of its own (an isolation level) is the only other form.
      if (/\.transaction\(\)\s*\.execute\(/.test(text) && name !== 'platform/db/database.ts')
        offenders.push(`${name}: .transaction().execute( — use inTransaction`);
      if (
        /\bsetInterval\(/.test(text) &&
        name !== 'platform/realtime/hub.ts' &&
        name !== 'platform/jobs/jobs.ts'
      )
        offenders.push(`${name}: setInterval — register a scheduled task`);
    }
    expect(offenders).toEqual([]);
  });
});
