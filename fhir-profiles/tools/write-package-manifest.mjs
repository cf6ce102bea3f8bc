#!/usr/bin/env node
// Writes fsh-generated/package.json: the manifest of the FHIR package celltrial.fhir.adapter, taken from the
// ImplementationGuide resource SUSHI generated from sushi-config.yaml (so the two can never disagree).
// Together with fsh-generated/resources/*.json it is all a build step needs to assemble package.tgz
// (layout: see ../README.md, "The FHIR package"). No dates or paths are written, so the output only
// changes when the sources change (build.sh --check relies on that).
//
// Usage: node write-package-manifest.mjs [fsh-generated folder, default ./fsh-generated]

import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve(process.argv[2] ?? 'fsh-generated');
const resources = path.join(dir, 'resources');
const igFile = fs.readdirSync(resources).find(f => f.startsWith('ImplementationGuide-') && f.endsWith('.json'));
if (!igFile) {
  console.error(`[write-package-manifest] ERROR: no ImplementationGuide-*.json in ${resources} (FSHOnly must be false)`);
  process.exit(1);
}
const ig = JSON.parse(fs.readFileSync(path.join(resources, igFile), 'utf8'));
const canonical = ig.url.replace(/\/ImplementationGuide\/[^/]+$/, '');

const dependencies = {};
for (const fhirVersion of ig.fhirVersion ?? []) {
  if (fhirVersion.startsWith('4.0.')) dependencies['hl7.fhir.r4.core'] = fhirVersion;
}
for (const dep of ig.dependsOn ?? []) {
  dependencies[dep.packageId] = dep.version;
}

const manifest = {
  name: ig.packageId,
  version: ig.version,
  'tools-version': 3,
  type: 'fhir.ig',
  license: ig.license,
  canonical,
  url: canonical,
  title: ig.title,
  description: ig.description,
  fhirVersions: ig.fhirVersion,
  dependencies,
  author: ig.publisher,
  maintainers: (ig.contact ?? []).map(c => ({
    name: c.name ?? ig.publisher,
    url: c.telecom?.find(t => t.system === 'url')?.value
  })),
  jurisdiction: ig.jurisdiction?.[0]?.coding?.[0]
    ? `${ig.jurisdiction[0].coding[0].system}#${ig.jurisdiction[0].coding[0].code}`
    : undefined,
  directories: { lib: 'package', example: 'example' }
};

fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`[write-package-manifest] wrote ${path.relative(process.cwd(), path.join(dir, 'package.json'))} (${manifest.name}#${manifest.version})`);
