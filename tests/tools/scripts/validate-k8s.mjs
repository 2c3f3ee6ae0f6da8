// Validates Kubernetes objects against the API's OpenAPI schema with kubernetes-models (generated from the
// Kubernetes OpenAPI spec): reads multi-document YAML on stdin (e.g. `helm template` output) and prints one JSON
// line per object: {"apiVersion","kind","name","valid","errors","object"}. Exit code 0 when every object is valid.
// An object whose kind has no model (e.g. a custom resource) is reported invalid, so nothing passes unchecked.
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';

const input = readFileSync(0, 'utf8');
const documents = yaml.loadAll(input).filter((d) => d !== null && d !== undefined);
let failures = 0;

for (const object of documents) {
  const apiVersion = String(object.apiVersion ?? '');
  const kind = String(object.kind ?? '');
  const name = object.metadata?.name ?? '';
  const result = { apiVersion, kind, name, valid: false, errors: [], object };
  try {
    // Core group objects live at kubernetes-models/v1/<Kind>; others at kubernetes-models/<group>/<version>/<Kind>.
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    const Model = module[kind] ?? module.default;
    new Model(object).validate();
    result.valid = true;
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      result.errors.push(`no model for ${apiVersion} ${kind}`);
    } else if (Array.isArray(e?.errors)) {
      result.errors.push(...e.errors.map((x) => `${x.instancePath ?? x.dataPath ?? ''} ${x.message ?? ''}${x.params ? ' ' + JSON.stringify(x.params) : ''}`.trim()));
    } else {
      result.errors.push(String(e?.message ?? e));
    }
  }
  if (!result.valid) failures++;
  process.stdout.write(JSON.stringify(result) + '\n');
}
process.exit(failures === 0 ? 0 : 1);
