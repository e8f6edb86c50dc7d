import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, webDist, webRoot } from './paths.ts';

/** The newest modification time under these paths (files and directories, recursively). */
async function newest(paths: string[]): Promise<number> {
  let latest = 0;
  for (const entry of paths) {
    let stat;
    try {
      stat = await fs.stat(entry);
    } catch {
      continue;
    }
    latest = Math.max(latest, stat.mtimeMs);
    if (stat.isDirectory()) {
      const children = await fs.readdir(entry);
      latest = Math.max(latest, await newest(children.map((c) => path.join(entry, c))));
    }
  }
  return latest;
}

/** What the UI's build is made of: a change to any of these makes `apps/web/dist` stale. */
const SOURCES = [
  path.join(webRoot, 'src'),
  path.join(webRoot, 'index.html'),
  path.join(webRoot, 'public'),
  path.join(webRoot, 'vite.config.ts'),
  path.join(webRoot, 'package.json'),
  path.join(repoRoot, 'packages/ui/src'),
  path.join(repoRoot, 'packages/contracts/src'),
];

export async function uiBuildIsStale(): Promise<boolean> {
  let built: number;
  try {
    built = (await fs.stat(path.join(webDist, 'index.html'))).mtimeMs;
  } catch {
    return true;
  }
  return (await newest(SOURCES)) > built;
}

/** Builds the UI (`npm run build --workspace @backoffice/web`) when it is missing or stale. */
export async function ensureUiBuilt(): Promise<'fresh' | 'built'> {
  if (!(await uiBuildIsStale())) return 'fresh';
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '--workspace', '@backoffice/web'], {
      cwd: repoRoot,
      // Vitest sets NODE_ENV=test, which a build would inherit (and React and Ant Design would then
      // behave as under test, e.g. every dialog titled by the same id): build what `npm start` serves.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the UI build failed (exit ${code}):\n${output}`)),
    );
  });
  return 'built';
}
