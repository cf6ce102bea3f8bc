#!/usr/bin/env node
// Builds the FHIR package hl7.fhir.r4.core#4.0.1 from the R4 conformance resources that HAPI FHIR ships in
// ca.uhn.hapi.fhir:hapi-fhir-validation-resources-r4 (already in the local Maven repository, because the
// adapter depends on it). Used because packages.fhir.org is not reachable from our build machines and the
// npm registry's hl7.fhir.r4.core is empty.
//
// The jar holds FHIR XML bundles (profiles-types/resources/others, extension-definitions, valuesets,
// v2-tables, v3-codesystems) and one JSON bundle (search-parameters). XML is converted to FHIR JSON with
// the rules of the FHIR JSON format, driven by the base StructureDefinitions found in the same jar
// (which elements repeat, which are choice types, which primitives are JSON numbers or booleans).
// Each resource becomes package/<Type>-<id>.json; package/package.json and package/.index.json
// (index-version 2) are written so that SUSHI / fhir-package-loader and HAPI's NpmPackage can read it.
//
// Usage: node build-core-package.mjs [--jar FILE] [--cache DIR] [--force] [--quiet]
//   --jar    the hapi-fhir-validation-resources-r4 jar (default: ~/.m2/repository/.../<--hapi-version>/...)
//   --hapi-version  HAPI version used to locate the jar (default 8.8.0)
//   --cache  FHIR package cache (default ~/.fhir/packages: the only place SUSHI 3 / FPL 2 look)
//   --force  rebuild even if an up-to-date build of ours is already there
// A folder that exists but was not built by this tool (e.g. the real package) is never overwritten.
//
// The result is NOT byte-identical to the official package (HAPI's copy has no narratives, and some
// resources may carry HAPI's fixes); it is meant for local compilation and validation only. Do not publish it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import sax from 'sax';

const TOOL_VERSION = 1;
const PKG_NAME = 'hl7.fhir.r4.core';
const PKG_VERSION = '4.0.1';
const STAMP = '.celltrial-build.json';

// ---------------------------------------------------------------------------------------------- CLI
function parseArgs(argv) {
  const opts = { hapiVersion: '8.8.0', force: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--jar') opts.jar = next();
    else if (a === '--cache') opts.cache = next();
    else if (a === '--hapi-version') opts.hapiVersion = next();
    else if (a === '--force') opts.force = true;
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  const m2 = process.env.MAVEN_REPO_LOCAL || path.join(os.homedir(), '.m2', 'repository');
  opts.jar ??= path.join(m2, 'ca/uhn/hapi/fhir/hapi-fhir-validation-resources-r4', opts.hapiVersion,
    `hapi-fhir-validation-resources-r4-${opts.hapiVersion}.jar`);
  opts.cache ??= path.join(os.homedir(), '.fhir', 'packages');
  return opts;
}

// ------------------------------------------------------------------------------ minimal zip reader
// Enough for a jar: central directory, stored (0) and deflated (8) entries, no zip64, no encryption.
function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip/jar file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.set(name, { method, csize, local });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return {
    names: () => [...entries.keys()],
    read(name) {
      const e = entries.get(name);
      if (!e) throw new Error(`${file}: no entry ${name}`);
      const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
      const data = buf.subarray(start, start + e.csize);
      if (e.method === 0) return Buffer.from(data);
      if (e.method === 8) return zlib.inflateRawSync(data);
      throw new Error(`${file}: ${name} uses unsupported compression ${e.method}`);
    }
  };
}

// ------------------------------------------------------------------------------------ XML -> tree
// { name, attrs: [[k, v]...], children: [...], text } ; text nodes only kept inside xhtml.
function parseXml(text, source) {
  const parser = sax.parser(true, { xmlns: false, trim: false, normalize: false, position: true });
  const root = { name: '#root', attrs: [], children: [] };
  const stack = [root];
  let error = null;
  parser.onerror = e => { error ??= new Error(`${source}: ${e.message}`); parser.resume(); };
  parser.onopentag = t => {
    const node = { name: t.name, attrs: Object.entries(t.attributes), children: [], selfClosing: t.isSelfClosing };
    stack[stack.length - 1].children.push(node);
    stack.push(node);
  };
  parser.onclosetag = () => { stack.pop(); };
  parser.ontext = t => { stack[stack.length - 1].children.push({ text: t }); };
  parser.oncdata = t => { stack[stack.length - 1].children.push({ text: t }); };
  parser.write(text).close();
  if (error) throw error;
  return root.children.find(c => c.name);
}

const elems = node => node.children.filter(c => c.name);
const attr = (node, k) => node.attrs.find(([n]) => n === k)?.[1];
const child = (node, k) => node.children.find(c => c.name === k);
const childValue = (node, k) => { const c = child(node, k); return c ? attr(c, 'value') : undefined; };

function escapeText(s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); }
function escapeAttr(s) { return escapeText(s).replace(/"/g, '&quot;'); }
function serializeXhtml(node) {
  if (node.text !== undefined) return escapeText(node.text);
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (node.children.length === 0 && node.selfClosing) return `<${node.name}${attrs}/>`;
  return `<${node.name}${attrs}>${node.children.map(serializeXhtml).join('')}</${node.name}>`;
}

// ------------------------------------------------------------------------------------ type model
// path -> { path, max, types: [code...], contentReference }, from base (non-constraint) definitions.
class Model {
  constructor() {
    this.defs = new Map();
    this.choices = new Map(); // parent path -> [{ prefix, types }]
    this.resourceTypes = new Set();
  }

  addStructureDefinition(sd) {
    const derivation = childValue(sd, 'derivation');
    const kind = childValue(sd, 'kind');
    if (derivation === 'constraint' || kind === 'logical') return;
    if (kind === 'resource') this.resourceTypes.add(childValue(sd, 'type'));
    const snapshot = child(sd, 'snapshot');
    if (!snapshot) return;
    for (const el of elems(snapshot).filter(e => e.name === 'element')) {
      const p = childValue(el, 'path');
      const types = elems(el).filter(e => e.name === 'type').map(t => childValue(t, 'code'));
      const def = { path: p, max: childValue(el, 'max'), types, contentReference: childValue(el, 'contentReference') };
      this.defs.set(p, def);
      if (p.endsWith('[x]')) {
        const parent = p.slice(0, p.lastIndexOf('.'));
        const prefix = p.slice(parent.length + 1, -3);
        if (!this.choices.has(parent)) this.choices.set(parent, []);
        this.choices.get(parent).push({ prefix, def });
      }
    }
  }

  // The definition and concrete type of child element `name` of an element whose definition path is `ctx`.
  resolve(ctx, name) {
    const def = this.defs.get(`${ctx}.${name}`);
    if (def) return { def, type: def.types[0] };
    for (const { prefix, def: cdef } of this.choices.get(ctx) ?? []) {
      if (!name.startsWith(prefix)) continue;
      const suffix = name.slice(prefix.length);
      const type = cdef.types.find(t => t.charAt(0).toUpperCase() + t.slice(1) === suffix);
      if (type) return { def: cdef, type };
    }
    return null;
  }
}

const PRIMITIVE_JSON = new Map([
  ['boolean', 'boolean'], ['integer', 'number'], ['positiveInt', 'number'], ['unsignedInt', 'number'],
  ['decimal', 'decimal'], ['http://hl7.org/fhirpath/System.Boolean', 'boolean'],
  ['http://hl7.org/fhirpath/System.Integer', 'number'], ['http://hl7.org/fhirpath/System.Decimal', 'decimal']
]);
const isPrimitiveType = t => t.startsWith('http://hl7.org/fhirpath/System.') || /^[a-z]/.test(t);

// A decimal written exactly as in the source (JSON numbers would lose "1.50").
class RawNumber {
  constructor(text) { this.text = text; }
}

// ------------------------------------------------------------------------------- XML -> FHIR JSON
class Converter {
  constructor(model) {
    this.model = model;
  }

  resource(node, where) {
    if (!this.model.resourceTypes.has(node.name)) throw new Error(`${where}: unknown resource type ${node.name}`);
    return { resourceType: node.name, ...this.complex(node, node.name, `${where}/${node.name}`) };
  }

  complex(node, ctx, where) {
    const out = {};
    for (const [k, v] of node.attrs) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      out[k] = v; // Element.id, Extension.url
    }
    const groups = new Map();
    for (const c of elems(node)) {
      if (!groups.has(c.name)) groups.set(c.name, []);
      groups.get(c.name).push(c);
    }
    for (const [name, nodes] of groups) {
      const at = `${where}.${name}`;
      const r = this.model.resolve(ctx, name);
      if (!r) throw new Error(`${at}: no element definition for ${ctx}.${name}`);
      const { def, type } = r;
      const repeats = def.max !== '1';
      if (!repeats && nodes.length > 1) throw new Error(`${at}: appears ${nodes.length} times but max is 1`);
      if (def.contentReference) {
        const target = def.contentReference.replace(/^.*#/, '');
        const values = nodes.map((n, i) => this.complex(n, target, `${at}[${i}]`));
        out[name] = repeats ? values : values[0];
      } else if (type === 'xhtml') {
        out[name] = serializeXhtml(nodes[0]);
      } else if (type === 'Resource' || this.model.resourceTypes.has(type)) {
        const values = nodes.map((n, i) => {
          const inner = elems(n);
          if (inner.length !== 1) throw new Error(`${at}[${i}]: expected exactly one resource`);
          return this.resource(inner[0], `${at}[${i}]`);
        });
        out[name] = repeats ? values : values[0];
      } else if (isPrimitiveType(type)) {
        const values = [];
        const extras = [];
        nodes.forEach((n, i) => {
          const v = attr(n, 'value');
          values.push(v === undefined ? null : this.primitive(v, type, `${at}[${i}]`));
          const extra = {};
          const id = attr(n, 'id');
          if (id !== undefined) extra.id = id;
          for (const c of elems(n)) {
            if (c.name !== 'extension') throw new Error(`${at}[${i}]: unexpected <${c.name}> in a primitive`);
            (extra.extension ??= []).push(this.complex(c, 'Extension', `${at}[${i}].extension`));
          }
          extras.push(Object.keys(extra).length ? extra : null);
        });
        if (values.some(v => v !== null)) out[name] = repeats ? values : values[0];
        if (extras.some(e => e !== null)) out[`_${name}`] = repeats ? extras : extras[0];
      } else {
        const ctxPath = type === 'Element' || type === 'BackboneElement' ? def.path : type;
        const values = nodes.map((n, i) => this.complex(n, ctxPath, `${at}[${i}]`));
        out[name] = repeats ? values : values[0];
      }
    }
    // FHIR JSON puts _name right after name
    const ordered = {};
    for (const k of Object.keys(out)) {
      if (k.startsWith('_') && Object.hasOwn(out, k.slice(1))) continue;
      ordered[k] = out[k];
      if (Object.hasOwn(out, `_${k}`)) ordered[`_${k}`] = out[`_${k}`];
    }
    return ordered;
  }

  primitive(text, type, where) {
    switch (PRIMITIVE_JSON.get(type)) {
      case 'boolean':
        if (text !== 'true' && text !== 'false') throw new Error(`${where}: '${text}' is not a boolean`);
        return text === 'true';
      case 'number':
        if (!/^-?\d+$/.test(text)) throw new Error(`${where}: '${text}' is not an integer`);
        return Number(text);
      case 'decimal':
        if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) throw new Error(`${where}: '${text}' is not a decimal`);
        return String(Number(text)) === text ? Number(text) : new RawNumber(text);
      default:
        return text;
    }
  }
}

// JSON.stringify with RawNumber support; 2-space indentation like the published packages.
function toJson(value) {
  const raws = [];
  const s = JSON.stringify(value, (k, v) => {
    if (v instanceof RawNumber) {
      raws.push(v.text);
      return `\u0000RAW${raws.length - 1}\u0000`;
    }
    return v;
  }, 2);
  return s.replace(/"\\u0000RAW(\d+)\\u0000"/g, (_, i) => raws[Number(i)]) + '\n';
}

// ------------------------------------------------------------------------------------------ main
const SOURCES = [
  // type definitions first: they drive the conversion of everything else
  'org/hl7/fhir/r4/model/profile/profiles-types.xml',
  'org/hl7/fhir/r4/model/profile/profiles-resources.xml',
  'org/hl7/fhir/r4/model/profile/profiles-others.xml',
  'org/hl7/fhir/r4/model/extension/extension-definitions.xml',
  'org/hl7/fhir/r4/model/valueset/valuesets.xml',
  'org/hl7/fhir/r4/model/valueset/v2-tables.xml',
  'org/hl7/fhir/r4/model/valueset/v3-codesystems.xml',
  'org/hl7/fhir/r4/model/sp/search-parameters.json'
];

const INDEX_FIELDS = ['url', 'version', 'kind', 'type', 'supplements', 'content', 'valueSet', 'derivation'];

export function buildCorePackage(opts) {
  const log = opts.quiet ? () => {} : msg => console.log(`[build-core-package] ${msg}`);
  if (!fs.existsSync(opts.jar)) {
    throw new Error(`jar not found: ${opts.jar}\n  Fetch it with: ./mvnw dependency:resolve (the adapter depends on it) or pass --jar`);
  }
  const jarHash = crypto.createHash('sha256').update(fs.readFileSync(opts.jar)).digest('hex');
  const target = path.join(opts.cache, `${PKG_NAME}#${PKG_VERSION}`);
  const stampFile = path.join(target, STAMP);
  if (fs.existsSync(target)) {
    if (!fs.existsSync(stampFile)) {
      log(`${target} exists and was not built by this tool (a real package?): left untouched`);
      return target;
    }
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (!opts.force && stamp.jarSha256 === jarHash && stamp.toolVersion === TOOL_VERSION) {
      log(`${target} is up to date`);
      return target;
    }
  }

  const zip = readZip(opts.jar);
  const trees = new Map();
  const model = new Model();
  for (const src of SOURCES.filter(s => s.endsWith('.xml'))) {
    const tree = parseXml(zip.read(src).toString('utf8'), src);
    if (tree.name !== 'Bundle') throw new Error(`${src}: expected a Bundle, found ${tree.name}`);
    trees.set(src, tree);
  }
  const bundleResources = tree => elems(tree).filter(e => e.name === 'entry')
    .map(e => child(e, 'resource')).filter(Boolean).map(r => elems(r)[0]);
  // resource and type definitions of the core spec, including the non-resource bases (Element, Resource...)
  for (const src of SOURCES.slice(0, 2)) {
    for (const r of bundleResources(trees.get(src))) {
      if (r.name === 'StructureDefinition') model.addStructureDefinition(r);
    }
  }
  log(`type model: ${model.defs.size} element definitions, ${model.resourceTypes.size} resource types`);

  const converter = new Converter(model);
  const files = new Map(); // filename -> resource
  const duplicates = [];
  const add = (res, src) => {
    if (!res.id) throw new Error(`${src}: ${res.resourceType} without id`);
    const name = `${res.resourceType}-${res.id}.json`;
    if (files.has(name)) {
      // identical duplicates across bundles are harmless; keep the first one
      if (toJson(files.get(name)) !== toJson(res)) duplicates.push(`${name} (${src})`);
      return;
    }
    files.set(name, res);
  };
  for (const src of SOURCES) {
    let count = 0;
    if (src.endsWith('.json')) {
      const bundle = JSON.parse(zip.read(src).toString('utf8'));
      for (const e of bundle.entry ?? []) { if (e.resource) { add(e.resource, src); count++; } }
    } else {
      bundleResources(trees.get(src)).forEach((r, i) => {
        add(converter.resource(r, `${path.basename(src)}#entry[${i}]`), src);
        count++;
      });
    }
    log(`${path.basename(src)}: ${count} resources`);
  }
  if (duplicates.length) {
    log(`WARNING: ${duplicates.length} resources appear twice with different content; kept the first: ${duplicates.slice(0, 5).join(', ')}${duplicates.length > 5 ? ', ...' : ''}`);
  }

  // write to a temporary folder, then swap it in, so a failed build never leaves half a package behind
  fs.mkdirSync(opts.cache, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(opts.cache, `.${PKG_NAME}#${PKG_VERSION}.tmp-`));
  try {
    const pkgDir = path.join(tmp, 'package');
    fs.mkdirSync(pkgDir);
    const names = [...files.keys()].sort();
    const index = { 'index-version': 2, files: [] };
    for (const name of names) {
      const res = files.get(name);
      fs.writeFileSync(path.join(pkgDir, name), toJson(res));
      const entry = { filename: name, resourceType: res.resourceType, id: res.id };
      for (const f of INDEX_FIELDS) {
        if (typeof res[f] === 'string') entry[f] = res[f];
      }
      index.files.push(entry);
    }
    fs.writeFileSync(path.join(pkgDir, '.index.json'), toJson(index));
    fs.writeFileSync(path.join(pkgDir, 'package.json'), toJson({
      name: PKG_NAME,
      version: PKG_VERSION,
      'tools-version': 3,
      type: 'Core',
      date: '20191030123500',
      license: 'CC0-1.0',
      canonical: 'http://hl7.org/fhir',
      url: 'http://hl7.org/fhir/R4',
      title: 'FHIR Core package (local build)',
      description: `Definitions of the base FHIR R4 (4.0.1) specification, built locally by the CellTrial ` +
        `build-core-package.mjs from ${path.basename(opts.jar)}. For local compilation and validation only.`,
      fhirVersions: [PKG_VERSION],
      dependencies: {},
      author: 'HL7 Inc',
      jurisdiction: 'http://unstats.un.org/unsd/methods/m49/m49.htm#001'
    }));
    fs.writeFileSync(path.join(tmp, STAMP), toJson({
      builtBy: 'celltrial fhir-profiles/tools/build-core-package.mjs',
      toolVersion: TOOL_VERSION,
      jar: path.basename(opts.jar),
      jarSha256: jarHash,
      resources: names.length
    }));
    if (fs.existsSync(target)) fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
    log(`wrote ${names.length} resources to ${path.join(target, 'package')}`);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return target;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
      console.log(lines.slice(0, lines.findIndex(l => !l.startsWith('//'))).map(l => l.slice(3)).join('\n'));
    } else {
      buildCorePackage(opts);
    }
  } catch (e) {
    console.error(`[build-core-package] ERROR: ${e.message}`);
    process.exit(1);
  }
}
