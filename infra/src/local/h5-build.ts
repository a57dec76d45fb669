/**
 * Builds the mini-program's H5 bundle when its sources changed since the last build (a content
 * hash of miniapp/src, miniapp/config and shared/src is kept beside the output).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from './offline';

export const H5_DIR = path.join(ROOT, 'miniapp/dist/h5');
const HASH_FILE = path.join(H5_DIR, '.source-hash');

function walk(dir: string, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (!e.name.endsWith('.test.ts') && !e.name.endsWith('.test.tsx')) out.push(p);
  }
}

export function sourceHash(): string {
  const files: string[] = [];
  for (const d of ['miniapp/src', 'miniapp/config', 'shared/src']) walk(path.join(ROOT, d), files);
  files.push(path.join(ROOT, 'miniapp/babel.config.js'), path.join(ROOT, 'miniapp/package.json'));
  const h = crypto.createHash('sha256');
  for (const f of files.sort()) {
    h.update(path.relative(ROOT, f));
    h.update(fs.readFileSync(f));
  }
  return h.digest('hex');
}

export function h5IsFresh(): boolean {
  return fs.existsSync(HASH_FILE) && fs.readFileSync(HASH_FILE, 'utf8') === sourceHash();
}

export async function buildH5IfStale(log: (s: string) => void = (s) => process.stdout.write(s)): Promise<'fresh' | 'built'> {
  if (h5IsFresh()) return 'fresh';
  const hash = sourceHash();
  log('[web] building the H5 mini-program (about 20 s)…\n');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/@tarojs/cli/bin/taro'), 'build', '--type', 'h5'], {
      cwd: path.join(ROOT, 'miniapp'),
      env: { ...process.env, NODE_ENV: 'production', TARO_ENV: 'h5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`H5 build failed (${code}):\n${out.slice(-5000)}`))));
  });
  fs.writeFileSync(HASH_FILE, hash);
  return 'built';
}
