// Runs the Khronos glTF validator over every .gltf and .glb in a folder (ctest gives it
// the project's assets/models). Prints each file's error, warning and info counts and every
// error; exits 1 if any file has an error, or if there is no model at all.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import validator from 'gltf-validator';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node validate.mjs <models folder>');
  process.exit(2);
}
const names = (await readdir(dir)).filter((n) => n.endsWith('.gltf') || n.endsWith('.glb')).sort();
if (names.length === 0) {
  console.error(`gltf-validator: no .gltf or .glb in ${dir}`);
  process.exit(1);
}
let failed = 0;
for (const name of names) {
  const file = path.join(dir, name);
  const bytes = new Uint8Array(await readFile(file));
  const report = await validator.validateBytes(bytes, {
    uri: name,
    maxIssues: 100,
    externalResourceFunction: (uri) =>
      readFile(path.join(dir, decodeURIComponent(uri))).then((b) => new Uint8Array(b)),
  });
  const i = report.issues;
  console.log(`${name}: ${i.numErrors} error(s), ${i.numWarnings} warning(s), ${i.numInfos} info(s)`);
  for (const m of i.messages) {
    if (m.severity === 0 || m.severity === 1)
      console.log(`  ${m.severity === 0 ? 'error' : 'warning'} ${m.code} at ${m.pointer ?? ''}: ${m.message}`);
  }
  if (i.numErrors > 0) ++failed;
}
if (failed) {
  console.log(`gltf-validator: ${failed} of ${names.length} model(s) have errors`);
  process.exit(1);
}
console.log(`gltf-validator: ${names.length} model(s), 0 errors`);
