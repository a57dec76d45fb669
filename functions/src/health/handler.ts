/** GET /health — 200 once the API and the store answer; 503 otherwise. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { route, router, reply } from '../http/with-http';
import { db, tableName } from '../db/client';
import { keys } from '../db/keys';

export const handler = router({
  'GET /health': route({ auth: 'none' }, async ({ now }) => {
    try {
      await db().send(new GetCommand({ TableName: tableName(), Key: keys.health() }));
      return { status: 'ok', store: 'ok', time: now.toISOString() };
    } catch (e) {
      return reply(503, { status: 'unavailable', store: e instanceof Error ? e.name : 'error' });
    }
  }),
});
