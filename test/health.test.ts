import { describe, expect, it } from 'vitest';
import { http } from './stack';

describe('GET /health (through serverless-offline on the local store)', () => {
  it('answers 200 once the API and the store are ready', async () => {
    const r = await http('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', store: 'ok' });
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers unknown routes with a 404, not a 500', async () => {
    const r = await http('GET', '/no-such-route');
    expect(r.status).toBe(404);
  });
});
