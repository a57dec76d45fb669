/** Arranging data for browser tests through the same HTTP API the page uses. */
import { inject } from 'vitest';

/** One JSON call to the local API; any status ≥ 300 throws with the server's answer. */
export async function call(method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const r = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json().catch(() => undefined);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(json)}`);
  return json;
}
