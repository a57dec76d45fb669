/**
 * Serves the mini-program's H5 build on loopback and forwards `/api/*` to the HTTP API, so the
 * browser talks to one origin (as it will behind the CDN in production) and the build does not
 * depend on the API port.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startWebServer(opts: { root: string; apiUrl: string; port: number; host?: string }): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const api = new URL(opts.apiUrl);
  const root = path.resolve(opts.root);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/api' || url.startsWith('/api/')) {
      const upstream = http.request(
        { host: api.hostname, port: api.port, method: req.method, path: url.slice(4) || '/', headers: { ...req.headers, host: api.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: { code: 'API_DOWN', message: '服务暂时不可用，请稍后再试', fields: [] } }));
      });
      req.pipe(upstream);
      return;
    }
    const clean = decodeURIComponent(url.split('?')[0]!);
    let file = path.join(root, clean);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('未找到页面（请先构建 H5：npm run build:h5）');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300',
      });
      res.end(data);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
