/**
 * An in-memory local store (dynalite + transaction layer, bench/push-store.child.ts) in a child
 * process, so a benchmark's heap figures are its own alone. Stops when `close()` ends its stdin.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export async function startChildStore(table: string): Promise<{ endpoint: string; close: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'push-store.child.ts'), table], { stdio: ['pipe', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /ENDPOINT (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (c) => reject(new Error(`store exited ${c}`)));
  });
  return { endpoint, close: () => child.stdin.end() };
}
