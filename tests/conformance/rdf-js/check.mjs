// Reads RDF files with the JavaScript tools web clients use, and writes what each read as
// N-Quads for tests/conformance/test_rdf_js.py to compare with pyoxigraph's reading.
//   node check.mjs ROOT OUT FILE...
// FILE is relative to ROOT; its quads go to OUT/FILE.nq. Turtle (.ttl), N-Triples (.nt),
// TriG (.trig) and N-Quads (.nq) are read by n3.js (strictly, in that format); JSON-LD
// (.jsonld) by jsonld.js, offline: a context is loaded only from a .jsonld file under
// ROOT (the release's shipped context), any other URL is refused. One JSON line per file
// on stdout: {"file", "tool", "ok", "quads", "error"}.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import jsonld from 'jsonld';
import N3 from 'n3';

const N3_FORMATS = { '.ttl': 'Turtle', '.nt': 'N-Triples', '.trig': 'TriG', '.nq': 'N-Quads' };

function offlineLoader(root) {
  const rootDir = path.resolve(root) + path.sep;
  return async (url) => {
    const file = url.startsWith('file:') ? fileURLToPath(url) : null;
    if (!file || !file.startsWith(rootDir) || !file.endsWith('.jsonld') || !fs.existsSync(file)) {
      throw new Error(`refused to load ${url}: only the release's own .jsonld files`);
    }
    return { contextUrl: null, documentUrl: url,
             document: JSON.parse(fs.readFileSync(file, 'utf8')) };
  };
}

function quadsToNQuads(quads) {
  const writer = new N3.Writer({ format: 'N-Quads' });
  return writer.quadsToString(quads);
}

async function read(root, file) {
  const full = path.join(root, file);
  const ext = path.extname(file);
  const text = fs.readFileSync(full, 'utf8');
  if (ext === '.jsonld') {
    const nquads = await jsonld.toRDF(JSON.parse(text), {
      base: pathToFileURL(full).href, format: 'application/n-quads',
      documentLoader: offlineLoader(root), safe: true });
    return { tool: 'jsonld.js', nquads, count: nquads.split('\n').filter(Boolean).length };
  }
  const format = N3_FORMATS[ext];
  if (!format) throw new Error(`no reader for ${ext}`);
  const parser = new N3.Parser({ format, baseIRI: pathToFileURL(full).href });
  const quads = parser.parse(text);
  return { tool: 'n3.js', nquads: quadsToNQuads(quads), count: quads.length };
}

const [root, out, ...files] = process.argv.slice(2);
for (const file of files) {
  const tool = path.extname(file) === '.jsonld' ? 'jsonld.js' : 'n3.js';
  try {
    const result = await read(root, file);
    const target = path.join(out, file + '.nq');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, result.nquads);
    console.log(JSON.stringify({ file, tool: result.tool, ok: true, quads: result.count }));
  } catch (err) {
    // jsonld.js wraps a loader's error: keep the reason it gives (err.details.cause).
    const cause = err && err.details && err.details.cause;
    const error = String(err && err.message || err) + (cause ? ` (${cause.message || cause})` : '');
    console.log(JSON.stringify({ file, tool, ok: false, error }));
  }
}
