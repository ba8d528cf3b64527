// Serves the browser example on localhost: the page and its module from examples/browser/, the
// library bundled for the browser in memory at start (the options of `npm run build:browser`, so
// no prior build is needed and the page always runs the current sources), and the digits data.
// `npm run example:browser` starts it and prints the URL (PORT=8080 picks the port; default 8000);
// tests/browser-pages.test.ts starts it on a random port.

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleBrowser } from "../../scripts/build-browser.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");

export interface ExampleServer {
  url: string;
  server: Server;
  /** Every path requested, in order (the test checks nothing unexpected was asked for). */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the example's server on 127.0.0.1 (`port` 0: a free one). */
export async function serveBrowserExample(port = 0): Promise<ExampleServer> {
  const bundle = await bundleBrowser();
  if (bundle.nodeImports.length > 0) throw new Error(`example:browser: the browser entry imports Node builtins: ${bundle.nodeImports.map((n) => `${n.spec} (${n.importer})`).join(", ")}`);
  const routes: Record<string, { type: string; body: () => Uint8Array | string }> = {
    "/": { type: "text/html; charset=utf-8", body: () => readFileSync(join(HERE, "index.html")) },
    "/index.html": { type: "text/html; charset=utf-8", body: () => readFileSync(join(HERE, "index.html")) },
    "/main.js": { type: "text/javascript; charset=utf-8", body: () => readFileSync(join(HERE, "main.js")) },
    "/steadytensor.js": { type: "text/javascript; charset=utf-8", body: () => bundle.js },
    "/steadytensor.js.map": { type: "application/json", body: () => bundle.map },
    // sent as the gzip file it is (no Content-Encoding): the page decompresses it itself
    "/data/digits.csv.gz": { type: "application/gzip", body: () => readFileSync(join(ROOT, "data", "digits.csv.gz")) },
  };
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    requests.push(path);
    const route = req.method === "GET" ? routes[path] : undefined;
    if (route === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { "content-type": route.type, "cache-control": "no-store" }).end(route.body());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, server, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await serveBrowserExample(Number(process.env.PORT ?? 8000));
  console.log(`steadytensor browser example: open ${s.url} (Ctrl-C stops the server)`);
}
