/* TEST-ONLY: how the stand-ins hand a request they do not answer to the endpoint behind them. */
import http from 'node:http';

/** Sends the request (its already-read body `raw`) to `upstream` and pipes the answer back. */
export function forwardRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  raw: Buffer,
  upstream: URL,
) {
  const fwd = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream.host },
    },
    up => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  fwd.on('error', e => {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: String(e) }));
  });
  fwd.end(raw);
}
