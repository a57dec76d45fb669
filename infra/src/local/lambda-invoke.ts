/**
 * Invokes a function of the running serverless-offline through its Lambda Invoke API
 * (`POST /2015-03-31/functions/<name>/invocations` on --lambdaPort), so scheduled jobs and queue
 * consumers run as the very bundles, environment and IAM-less worker the HTTP routes use.
 */
export type InvokeResult = { ok: true; payload: unknown; ms: number } | { ok: false; error: string; ms: number };
export type Invoker = (functionName: string, event: unknown) => Promise<InvokeResult>;

export function lambdaInvoker(lambdaUrl: string): Invoker {
  return async (functionName, event) => {
    const started = Date.now();
    let res: Response;
    try {
      res = await fetch(`${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
        body: JSON.stringify(event),
      });
    } catch (e) {
      return { ok: false, error: `could not reach the local Lambda endpoint: ${e instanceof Error ? e.message : e}`, ms: Date.now() - started };
    }
    const text = await res.text();
    let payload: unknown = text;
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      /* a plain string payload */
    }
    const ms = Date.now() - started;
    const fnError = res.headers.get('x-amz-function-error') ?? res.headers.get('x-amzn-errortype');
    if (res.status >= 300 || fnError) {
      const msg = payload && typeof payload === 'object' ? String((payload as { errorMessage?: unknown; Message?: unknown }).errorMessage ?? (payload as { Message?: unknown }).Message ?? text) : text;
      return { ok: false, error: `${fnError ?? `HTTP ${res.status}`}: ${msg.slice(0, 500)}`, ms };
    }
    return { ok: true, payload, ms };
  };
}
